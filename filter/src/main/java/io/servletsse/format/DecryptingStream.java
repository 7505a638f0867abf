package io.servletsse.format;

import io.servletsse.crypto.SegmentCipher;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Sealed segments in, plaintext out, one segment at a time: a segment's bytes are released only
 * after its tag has verified. Serves the whole object (with the stored length known, or unknown:
 * then one byte of read-ahead tells which segment is the last) or a run of segments of a range.
 * Any failure is sticky: every later read throws again.
 */
final class DecryptingStream extends InputStream {
    private final InputStream in;
    private final SegmentCipher cipher;
    private final int segmentSize;
    private final int sealedSize;
    /** Index of the object's final segment, or -1 if not known (then found by read-ahead). */
    private final long lastIndex;
    /** Stored length of the final segment when {@code lastIndex} is known. */
    private final int lastSealedLength;
    /** Last segment to read (inclusive). */
    private final long endIndex;
    /** After the object's final segment, require EOF (whole-object reads only). */
    private final boolean checkTrailing;
    private final byte[] sealed;
    private final byte[] plain;
    private final byte[] one = new byte[1];
    private long index;
    private long skip;
    private long remaining;
    private int plainPos;
    private int plainLimit;
    private boolean pendingValid;
    private byte pending;
    private boolean eof;
    private boolean closed;
    private FormatException failure;

    DecryptingStream(SegmentCipher cipher, int segmentSize, InputStream in, long startIndex, long lastIndex,
            int lastSealedLength, long endIndex, long skip, long remaining, boolean checkTrailing) {
        this.cipher = cipher;
        this.segmentSize = segmentSize;
        this.sealedSize = segmentSize + SegmentCipher.TAG_LENGTH;
        this.in = Objects.requireNonNull(in, "segments");
        this.index = startIndex;
        this.lastIndex = lastIndex;
        this.lastSealedLength = lastSealedLength;
        this.endIndex = endIndex;
        this.skip = skip;
        this.remaining = remaining;
        this.checkTrailing = checkTrailing;
        this.sealed = new byte[sealedSize];
        this.plain = new byte[segmentSize];
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (plainPos < plainLimit) {
                int n = (int) Math.min(Math.min(len, plainLimit - plainPos), remaining);
                System.arraycopy(plain, plainPos, b, off, n);
                plainPos += n;
                remaining -= n;
                if (remaining == 0) {
                    plainPos = plainLimit;
                }
                return n;
            }
            if (eof || remaining == 0) {
                finish();
                return -1;
            }
            try {
                int n = nextSegment(b, off, len);
                if (n > 0) {
                    return n;
                }
            } catch (FormatException e) {
                failure = e;
                finish();
                throw e;
            }
        }
    }

    /**
     * Reads and opens the next segment. Returns the number of bytes opened straight into the caller's
     * buffer (whole segment wanted, buffer big enough), or 0 when the plaintext went to the internal buffer.
     */
    private int nextSegment(byte[] b, int off, int len) throws IOException {
        int n;
        boolean last;
        if (lastIndex >= 0) {
            last = index == lastIndex;
            int want = last ? lastSealedLength : sealedSize;
            n = ObjectHeader.readFully(in, sealed, 0, want);
            if (n < want) {
                throw new FormatException(FormatException.Reason.TRUNCATED, "segment " + index + " is cut short");
            }
        } else {
            n = 0;
            if (pendingValid) {
                sealed[0] = pending;
                n = 1;
                pendingValid = false;
            }
            n += ObjectHeader.readFully(in, sealed, n, sealedSize - n);
            last = true;
            if (n == sealedSize) {
                int next = in.read();
                if (next >= 0) {
                    pending = (byte) next;
                    pendingValid = true;
                    last = false;
                }
            }
            if (n < SegmentCipher.TAG_LENGTH || (index > 0 && n == SegmentCipher.TAG_LENGTH)) {
                throw new FormatException(FormatException.Reason.TRUNCATED, "no complete final segment");
            }
        }
        if (index > SegmentCipher.MAX_INDEX) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "too many segments");
        }
        int plainLen = n - SegmentCipher.TAG_LENGTH;
        boolean direct = skip == 0 && len >= plainLen && remaining >= plainLen && plainLen > 0;
        try {
            if (direct) {
                cipher.open(index, last, sealed, 0, n, b, off);
            } else {
                plainLimit = cipher.open(index, last, sealed, 0, n, plain, 0);
                plainPos = 0;
            }
        } catch (AEADBadTagException e) {
            throw new FormatException(FormatException.Reason.SEGMENT_AUTHENTICATION_FAILED,
                    "segment " + index + " does not authenticate");
        }
        if (last) {
            eof = true;
            if (checkTrailing && in.read() >= 0) {
                Arrays.fill(plain, (byte) 0);
                plainLimit = 0;
                if (direct) {
                    Arrays.fill(b, off, off + plainLen, (byte) 0);
                }
                throw new FormatException(FormatException.Reason.TRAILING_DATA, "bytes after the final segment");
            }
        } else if (index == endIndex) {
            eof = true;
        }
        index++;
        if (direct) {
            remaining -= plainLen;
            return plainLen;
        }
        if (skip > 0) {
            int s = (int) Math.min(skip, plainLimit);
            plainPos = s;
            skip -= s;
        }
        return 0;
    }

    private void finish() {
        // Nothing more will be decrypted by this stream: wipe the key and the plaintext buffer.
        cipher.close();
        Arrays.fill(plain, (byte) 0);
        plainPos = plainLimit = 0;
    }

    @Override
    public int available() {
        return (int) Math.min(plainLimit - plainPos, remaining);
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
