package io.servletsse.servlet;

import io.servletsse.format.PlaintextObserver;
import io.servletsse.format.SegmentDigests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.zip.Checksum;

/**
 * The client's plaintext upload body as the encryptor reads it: counts bytes, and, as the
 * encryptor's {@link PlaintextObserver}, feeds the checksums the filter answers for
 * ({@code x-oss-hash-crc64ecma} of the plaintext) and checks the request's Content-MD5 once the
 * final segment is in — BEFORE the encryptor seals that segment, so an upload with a wrong digest
 * never reaches the app complete (the app's read fails instead).
 *
 * <p>The digests run on {@code digestExecutor} a few segments at a time ({@link SegmentDigests}) while the
 * request thread reads and seals the next ones; a body of a few segments is digested inline. Use it
 * only as the observer of the stream that encrypts it: read alone it digests nothing.
 */
final class UploadBody extends FilterInputStream implements PlaintextObserver {
    private final MessageDigest md5;      // null when the request has no Content-MD5
    private final byte[] expectedMd5;
    private final SegmentDigests digests;
    private Runnable onComplete;
    private long count;
    private boolean eof;
    private boolean observedLast;
    private boolean digestMismatch;

    /** {@code batch}: segments per digest task ({@link SegmentDigests}), 1 when the executor runs them inline. */
    UploadBody(InputStream in, MessageDigest md5, byte[] expectedMd5, Checksum crc, Executor digestExecutor, int batch) {
        super(in);
        this.md5 = md5;
        this.expectedMd5 = expectedMd5;
        List<SegmentDigests.Update> updates = new ArrayList<>(2);
        if (crc != null) {
            updates.add(crc::update);
        }
        if (md5 != null) {
            updates.add(md5::update);
        }
        this.digests = new SegmentDigests(digestExecutor, batch, updates.toArray(SegmentDigests.Update[]::new));
    }

    /** Runs once the whole body has been read and its Content-MD5 (if any) matched. */
    void onComplete(Runnable action) {
        this.onComplete = action;
    }

    @Override
    public void segment(byte[] buf, int length, boolean last) throws IOException {
        digests.segment(buf, length, last);
        if (!last) {
            return;
        }
        observedLast = true;
        if (md5 != null && !MessageDigest.isEqual(md5.digest(), expectedMd5)) {
            digestMismatch = true;
            throw new DigestMismatchException();
        }
        if (onComplete != null) {
            onComplete.run();
        }
    }

    @Override
    public void release(byte[] buf) {
        digests.release(buf);
    }

    @Override
    public int buffers() {
        return digests.buffers();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (eof) {
            return -1;
        }
        int n = super.read(b, off, len);
        if (n < 0) {
            eof = true;
            return -1;
        }
        count += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on an upload body being encrypted");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    /** The whole body was read and its digests were checked (and matched). */
    boolean complete() {
        return eof && observedLast && !digestMismatch;
    }

    boolean digestMismatch() {
        return digestMismatch;
    }

    /** Content-MD5 did not match the body: the upload must not be stored. */
    static final class DigestMismatchException extends IOException {
        private static final long serialVersionUID = 1L;

        DigestMismatchException() {
            super("Content-MD5 does not match the request body");
        }
    }
}
