package io.servletsse.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Adapters between plain streams and the servlet stream types. */
final class Streams {
    private Streams() {}

    /**
     * A blocking ServletInputStream over {@code in}. Non-blocking reads (setReadListener) are
     * refused: the filter transforms the body and fails closed rather than half-support async IO.
     */
    static ServletInputStream servletInput(InputStream in) {
        return new ServletInputStream() {
            private boolean finished;

            @Override
            public int read() throws IOException {
                int b = in.read();
                finished |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                finished |= n < 0;
                return n;
            }

            @Override
            public int available() throws IOException {
                return in.available();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }

            @Override
            public boolean isFinished() {
                return finished;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("servlet-sse: non-blocking reads of a transformed request body are not supported");
            }
        };
    }

    /** A blocking ServletOutputStream over {@code out}; non-blocking writes are refused likewise. */
    static ServletOutputStream servletOutput(OutputStream out) {
        return new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new IllegalStateException("servlet-sse: non-blocking writes of a transformed response body are not supported");
            }
        };
    }
}
