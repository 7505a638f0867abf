package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import io.servletsse.format.ObjectCrypto;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads a stored file's plaintext exactly as the filter serves it: encrypted objects are unwrapped
 * with the configured keys, the header MAC and every segment authenticated (nothing of a segment is
 * released before its tag verifies); a plain envelope's checksum is checked; plaintext is passed
 * through. Streams in constant memory.
 */
final class ObjectReader {
    private ObjectReader() {}

    /**
     * Writes the plaintext of {@code p} to {@code out} and returns its length. Throws
     * FormatException (what failed) or SseException (the key could not be had) on a bad object.
     */
    static long copyPlaintext(SseRuntime runtime, Probe p, OutputStream out, Progress progress) throws IOException {
        try (FileChannel ch = FileChannel.open(p.file(), StandardOpenOption.READ)) {
            InputStream raw = new Counting(Channels.newInputStream(ch), progress);
            if (p.header() != null) {
                progress.bytes(p.header().length()); // read by the probe, not through this stream
            }
            switch (p.kind()) {
                case PLAINTEXT -> {
                    return raw.transferTo(out);
                }
                case MALFORMED -> throw p.problem();
                case PLAIN_ENVELOPE -> {
                    try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(p.header(), null)) {
                        ch.position(p.header().length());
                        try (InputStream in = d.decryptingStream(raw, ch.size())) {
                            return in.transferTo(out);
                        }
                    }
                }
                case ENCRYPTED -> {
                    try (SseRuntime.Download d = runtime.openDownload(p.header())) {
                        ch.position(p.header().length());
                        try (InputStream in = d.decryptor().decryptingStream(raw, ch.size())) {
                            return in.transferTo(out);
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Counts stored bytes read, for the progress meter. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.bytes(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                progress.bytes(n);
            }
            return n;
        }
    }

    /** Discards output (verification). */
    static final OutputStream DISCARD = OutputStream.nullOutputStream();
}
