package io.servletsse.servlet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.zip.Checksum;

/**
 * The client's plaintext upload body as the encryptor reads it: counts bytes, feeds the checksums
 * the filter answers for ({@code x-oss-hash-crc64ecma} of the plaintext), and checks the request's
 * Content-MD5 at end of body — BEFORE the encryptor can seal the final segment, so an upload with a
 * wrong digest never reaches the app complete (the app's read fails instead).
 */
final class UploadBody extends FilterInputStream {
    private final MessageDigest md5;      // null when the request has no Content-MD5
    private final byte[] expectedMd5;
    private final Checksum crc;           // null when not wanted
    private Runnable onComplete;
    private long count;
    private boolean eof;
    private boolean digestMismatch;

    UploadBody(InputStream in, MessageDigest md5, byte[] expectedMd5, Checksum crc) {
        super(in);
        this.md5 = md5;
        this.expectedMd5 = expectedMd5;
        this.crc = crc;
    }

    /** Runs once the whole body has been read and its Content-MD5 (if any) matched. */
    void onComplete(Runnable action) {
        this.onComplete = action;
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
            if (md5 != null && !MessageDigest.isEqual(md5.digest(), expectedMd5)) {
                digestMismatch = true;
                throw new DigestMismatchException();
            }
            if (onComplete != null) {
                onComplete.run();
            }
            return -1;
        }
        if (n > 0) {
            count += n;
            if (md5 != null) {
                md5.update(b, off, n);
            }
            if (crc != null) {
                crc.update(b, off, n);
            }
        }
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

    boolean complete() {
        return eof && !digestMismatch;
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
