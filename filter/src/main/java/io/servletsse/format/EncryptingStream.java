package io.servletsse.format;

import io.servletsse.crypto.SegmentCipher;
import io.servletsse.error.SseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Plaintext in, header + sealed segments out. Holds at most {@link PlaintextObserver#buffers()}
 * plaintext segments (two unless the observer asks for more) and one sealed segment whatever the
 * object size, and only what it needs for a small object. A segment is sealed as non-final only once the next
 * segment's plaintext has been read and is non-empty (one segment of read-ahead, in a buffer of its
 * own so that every copy out of the source lands at offset 0: a one-byte read-ahead would make every bulk
 * copy misaligned, measurably slower), so the plaintext length need not be known and the final
 * segment is never empty (unless the whole object is).
 *
 * <p>Each plaintext segment is lent to a {@link PlaintextObserver} just before it is sealed, and a
 * buffer is released by the observer before it is refilled, grown or wiped: the buffers in turn are
 * what let an observer digest segments on another thread while the stream seals the next ones and
 * the reader consumes them, with no copy. Once a read has failed (the observer refused the plaintext,
 * the source or the cipher threw) every later read fails too.
 */
final class EncryptingStream extends InputStream {
    private final InputStream in;
    private final SegmentCipher cipher;
    private final PlaintextObserver observer;
    private final byte[] header;
    private final int segmentSize;
    /** Plaintext buffers used in turn, a segment each; allocated as segments need them. */
    private final byte[][] ring;
    private int current;   // ring index of the segment being sealed
    private byte[] plain;  // ring[current]
    private byte[] sealed; // only when a caller's buffer is too small for a sealed segment
    /** First size of the plaintext buffer; it grows to a segment once a segment fills it. */
    static final int INITIAL_BUFFER = 16 * 1024;
    private int lastRead;
    private final byte[] one = new byte[1];
    private int headerPos;
    private int sealedPos;
    private int sealedLimit;
    private long index;
    private int nextLength = -1; // bytes read ahead into the following ring buffer; -1 before the first segment
    private boolean sourceEof;
    private boolean done;
    private boolean failed; // a segment's read, observation or sealing threw
    private boolean closed;

    EncryptingStream(byte[] header, SegmentCipher cipher, int segmentSize, InputStream in, PlaintextObserver observer) {
        this.header = header;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.cipher = cipher;
        this.segmentSize = segmentSize;
        this.in = Objects.requireNonNull(in, "plaintext");
        // Sized for what the object needs: a small object never touches more than INITIAL_BUFFER
        // bytes (most uploads of a file service are small, and 3 x 64 KiB allocated and zeroed per
        // request was measurable); the buffers grow to a whole segment on the first full one.
        int buffers = observer.buffers();
        if (buffers < 2) {
            throw new IllegalArgumentException("an observer needs at least 2 buffers: " + buffers);
        }
        this.ring = new byte[buffers][];
        this.ring[0] = new byte[Math.min(segmentSize, INITIAL_BUFFER)];
    }

    @Override
    public int read() throws IOException {
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
        if (failed) {
            // Fail closed: after a refused or failed segment the buffers are no longer in step,
            // and a reader that retried must not get a shorter object that looks complete.
            throw new IOException("the encrypting stream failed earlier");
        }
        failed = true; // until this segment is out
        int n = fillSegment();
        boolean last = nextLength == 0;
        if (index > SegmentCipher.MAX_INDEX) {
            throw new SseException(400, "EntityTooLarge", "object too large for the encrypted format");
        }
        // Before sealing: on the final segment the observer may still refuse the plaintext.
        observer.segment(plain, n, last);
        int out;
        if (len >= n + SegmentCipher.TAG_LENGTH) {
            // Fast path: seal straight into the caller's buffer, no copy.
            out = cipher.seal(index, last, plain, 0, n, b, off);
        } else {
            if (sealed == null) {
                sealed = new byte[segmentSize + SegmentCipher.TAG_LENGTH];
            }
            sealedLimit = cipher.seal(index, last, plain, 0, n, sealed, 0);
            sealedPos = 0;
            out = copyOut(b, off, len);
        }
        index++;
        failed = false;
        if (last) {
            finish();
        }
        return out;
    }

    /**
     * Makes {@code plain} the segment to seal now and returns its length; reads the following
     * segment into the next ring buffer ({@code nextLength == 0} then means this one is the last).
     */
    private int fillSegment() throws IOException {
        int n;
        if (nextLength < 0) {
            ring[0] = readUpTo(ring[0]); // the first segment: nothing lent yet
            n = lastRead;
        } else {
            current = (current + 1) % ring.length;
            n = nextLength;
        }
        plain = ring[current];
        if (n == segmentSize) {
            int following = (current + 1) % ring.length;
            byte[] buf = ring[following];
            if (buf != null) {
                observer.release(buf); // it held the segment sealed ring.length - 1 segments ago
            }
            ring[following] = readUpTo(buf == null ? new byte[segmentSize] : buf);
            nextLength = lastRead;
        } else {
            nextLength = 0;
        }
        return n;
    }

    /** Reads up to a segment into {@code buf} (grown if needed: the buffer returned); count in {@link #lastRead}. */
    private byte[] readUpTo(byte[] buf) throws IOException {
        int n = 0;
        while (n < segmentSize && !sourceEof) {
            if (n == buf.length) {
                byte[] bigger = Arrays.copyOf(buf, segmentSize);
                Arrays.fill(buf, (byte) 0); // it held plaintext
                buf = bigger;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                sourceEof = true;
            } else {
                n += r;
            }
        }
        lastRead = n;
        return buf;
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
        for (byte[] buf : ring) {
            if (buf != null) {
                observer.release(buf);
                Arrays.fill(buf, (byte) 0);
            }
        }
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
