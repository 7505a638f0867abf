package io.servletsse.format;

import io.servletsse.crypto.SegmentCipher;
import io.servletsse.error.SseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Plaintext in, header + sealed segments out. Holds one plaintext segment and one sealed segment
 * (about 2·S bytes) whatever the object size. A segment is sealed as non-final only once at least
 * one more plaintext byte has been read (one byte of read-ahead), so the plaintext length need not
 * be known and the final segment is never empty (unless the whole object is).
 */
final class EncryptingStream extends InputStream {
    private final InputStream in;
    private final SegmentCipher cipher;
    private final byte[] header;
    private final int segmentSize;
    private final byte[] plain;
    private final byte[] sealed;
    private int headerPos;
    private int sealedPos;
    private int sealedLimit;
    private long index;
    private boolean pendingValid;
    private byte pending;
    private boolean done;
    private boolean closed;

    EncryptingStream(byte[] header, SegmentCipher cipher, int segmentSize, InputStream in) {
        this.header = header;
        this.cipher = cipher;
        this.segmentSize = segmentSize;
        this.in = Objects.requireNonNull(in, "plaintext");
        this.plain = new byte[segmentSize];
        this.sealed = new byte[segmentSize + SegmentCipher.TAG_LENGTH];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        if (headerPos < header.length) {
            int n = Math.min(len, header.length - headerPos);
            System.arraycopy(header, headerPos, b, off, n);
            headerPos += n;
            return n;
        }
        if (sealedPos < sealedLimit) {
            return copyOut(b, off, len);
        }
        if (done) {
            return -1;
        }
        int n = fillSegment();
        boolean last = !pendingValid;
        if (index > SegmentCipher.MAX_INDEX) {
            throw new SseException(400, "EntityTooLarge", "object too large for the encrypted format");
        }
        int out;
        if (len >= n + SegmentCipher.TAG_LENGTH) {
            // Fast path: seal straight into the caller's buffer, no copy.
            out = cipher.seal(index, last, plain, 0, n, b, off);
        } else {
            sealedLimit = cipher.seal(index, last, plain, 0, n, sealed, 0);
            sealedPos = 0;
            out = copyOut(b, off, len);
        }
        index++;
        if (last) {
            finish();
        }
        return out;
    }

    /** Reads up to one segment of plaintext, plus one byte of read-ahead when the segment is full. */
    private int fillSegment() throws IOException {
        int n = 0;
        if (pendingValid) {
            plain[0] = pending;
            n = 1;
            pendingValid = false;
        }
        while (n < segmentSize) {
            int r = in.read(plain, n, segmentSize - n);
            if (r < 0) {
                return n;
            }
            n += r;
        }
        int next = in.read();
        if (next >= 0) {
            pending = (byte) next;
            pendingValid = true;
        }
        return n;
    }

    private int copyOut(byte[] b, int off, int len) {
        int n = Math.min(len, sealedLimit - sealedPos);
        System.arraycopy(sealed, sealedPos, b, off, n);
        sealedPos += n;
        return n;
    }

    private void finish() {
        done = true;
        cipher.close();
        Arrays.fill(plain, (byte) 0);
    }

    @Override
    public int available() {
        return (header.length - headerPos) + (sealedLimit - sealedPos);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            finish();
            in.close();
        }
    }
}
