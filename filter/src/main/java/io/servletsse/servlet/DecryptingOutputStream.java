package io.servletsse.servlet;

import io.servletsse.format.FormatException;
import io.servletsse.format.ObjectCrypto;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Push-style decryption for a response: the app writes stored bytes (sealed segments), this
 * stream collects one whole segment at a time, authenticates and decrypts it, and only then
 * writes its plaintext to {@code sink}. Memory: one ciphertext and one plaintext segment.
 *
 * <p>Which segment is the final one: when the stored length is known, segment {@code n-1}; when it
 * is not (chunked response), a full segment is held until one more byte arrives (not final) or the
 * app closes the body (final). A missing final segment (truncation, also exactly at a boundary)
 * fails at {@link #close()}; bytes after the final segment fail too.
 */
final class DecryptingOutputStream extends OutputStream {
    private static final int TAG = 16;

    private final ObjectCrypto.Decryptor decryptor;
    private final OutputStream sink;
    private final int segmentSize;
    private final long segmentCount;   // -1: unknown
    private final long plainLimit;     // plaintext bytes to emit, -1: all
    private long skipStored;           // stored bytes to drop before the first segment
    private long plainSkip;            // plaintext bytes to drop (start of a range inside a segment)

    private byte[] in;  // allocated on the first write, sized by initialSize
    private byte[] out;
    /** A whole sealed segment; {@code in} starts smaller (a small object needs less) and grows to it. */
    private final int capacity;
    /** First size of the buffers when the object's size is not known: 128 KiB per download was measurable for small objects. */
    static final int INITIAL_BUFFER = 16 * 1024;
    private int initialSize;
    private int filled;
    private long index;
    private long emitted;
    private boolean sawFinal;
    private boolean failed;
    private boolean closed;

    /**
     * @param firstSegment number of the first segment that will arrive
     * @param segmentCount total number of segments of the object, or -1 if unknown
     * @param skipStored   stored bytes to drop first (e.g. an app that ignored our Range sent the whole object)
     * @param plainSkip    plaintext bytes of the first segment to drop
     * @param plainLimit   plaintext bytes to emit after that, or -1 for all
     */
    DecryptingOutputStream(ObjectCrypto.Decryptor decryptor, OutputStream sink, int segmentSize, long firstSegment,
            long segmentCount, long skipStored, long plainSkip, long plainLimit) {
        this.decryptor = decryptor;
        this.sink = sink;
        this.segmentSize = segmentSize;
        this.index = firstSegment;
        this.segmentCount = segmentCount;
        this.skipStored = skipStored;
        this.plainSkip = plainSkip;
        this.plainLimit = plainLimit;
        this.capacity = segmentSize + TAG;
        this.initialSize = Math.min(capacity, INITIAL_BUFFER + TAG);
    }

    /**
     * The app will send {@code sealedBytes} of segments (the stored length less the header): the
     * buffers are sized for that, so a 4 KiB object allocates (and zeroes) about 4 KiB, not 32.
     */
    DecryptingOutputStream expectSealedBytes(long sealedBytes) {
        if (sealedBytes >= TAG && in == null) {
            initialSize = (int) Math.min(capacity, sealedBytes);
        }
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        while (len > 0) {
            if (skipStored > 0) {
                int n = (int) Math.min(skipStored, len);
                skipStored -= n;
                off += n;
                len -= n;
                continue;
            }
            if (done()) {
                if (plainLimit >= 0) {
                    return; // a range is complete: what the app sends beyond it is not needed
                }
                fail(new FormatException(FormatException.Reason.TRAILING_DATA, "data after the final segment"));
            }
            if (filled == capacity) {
                // A full segment and more data follows: so it was not the final one.
                if (segmentCount >= 0 && index == segmentCount - 1) {
                    fail(new FormatException(FormatException.Reason.TRAILING_DATA, "data after the final segment"));
                }
                openBuffered(false);
            }
            int n = Math.min(len, capacity - filled);
            if (in == null) {
                in = new byte[initialSize];
            }
            if (filled + n > in.length) {
                in = Arrays.copyOf(in, capacity);
            }
            System.arraycopy(b, off, in, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == capacity && segmentCount >= 0 && index < segmentCount - 1) {
                openBuffered(false); // known not final: release it now
            }
        }
    }

    /** True once everything wanted has been emitted (range) or the final segment was opened. */
    private boolean done() {
        return sawFinal || (plainLimit >= 0 && emitted >= plainLimit);
    }

    private void openBuffered(boolean last) throws IOException {
        int n;
        if (in == null) {
            in = new byte[initialSize]; // an empty body: the missing segment fails below
        }
        if (out == null || out.length < filled - TAG) {
            out = new byte[in.length - TAG];
        }
        try {
            n = decryptor.openSegment(index, last, in, 0, filled, out, 0);
        } catch (FormatException e) {
            fail(e);
            return;
        } catch (RuntimeException e) {
            fail(new FormatException(FormatException.Reason.SEGMENT_AUTHENTICATION_FAILED, "segment " + index, e));
            return;
        }
        index++;
        filled = 0;
        sawFinal = last;
        int from = (int) Math.min(plainSkip, n);
        plainSkip -= from;
        int count = n - from;
        if (plainLimit >= 0) {
            count = (int) Math.min(count, plainLimit - emitted);
        }
        if (count > 0) {
            sink.write(out, from, count);
            emitted += count;
        }
    }

    /** Completes the body: opens the final segment, or fails if the object was cut short. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        checkOpen();
        closed = true;
        if (!done()) {
            if (filled > 0 || (index == 0 && segmentCount < 0)) {
                boolean last = segmentCount < 0 || index == segmentCount - 1;
                if (!last || filled < TAG) {
                    fail(new FormatException(FormatException.Reason.TRUNCATED, "object ends inside segment " + index));
                }
                openBuffered(true);
            }
            if (!done()) {
                fail(new FormatException(FormatException.Reason.TRUNCATED, "object ends before its final segment"));
            }
        }
        sink.flush();
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        sink.flush(); // a partial segment cannot be released early: nothing more to flush
    }

    boolean failed() {
        return failed;
    }

    private void checkOpen() throws IOException {
        if (failed) {
            throw new DecryptionFailedException(null);
        }
    }

    private void fail(FormatException e) throws IOException {
        failed = true;
        throw new DecryptionFailedException(e);
    }

    /** The stored object did not authenticate; the response must be aborted, not completed. */
    static final class DecryptionFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        DecryptionFailedException(FormatException cause) {
            super(cause == null ? "stored object failed authentication earlier in this response" : cause.getMessage(), cause);
        }
    }
}
