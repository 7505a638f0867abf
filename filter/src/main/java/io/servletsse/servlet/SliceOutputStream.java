package io.servletsse.servlet;

import java.io.IOException;
import java.io.OutputStream;

/** Passes on bytes {@code [skip, skip+limit)} of what is written (limit -1: all after skip), drops the rest. */
final class SliceOutputStream extends OutputStream {
    private final OutputStream sink;
    private long skip;
    private long remaining;

    SliceOutputStream(OutputStream sink, long skip, long limit) {
        this.sink = sink;
        this.skip = skip;
        this.remaining = limit < 0 ? Long.MAX_VALUE : limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int s = (int) Math.min(skip, len);
        skip -= s;
        off += s;
        len -= s;
        int n = (int) Math.min(remaining, len);
        if (n > 0) {
            sink.write(b, off, n);
            remaining -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        sink.flush();
    }
}
