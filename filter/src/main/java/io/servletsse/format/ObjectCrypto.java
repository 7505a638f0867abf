package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SegmentCipher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The streaming engine: encrypting and decrypting streams over the format, constant memory at any
 * size. No plaintext byte is released before its segment's tag has verified.
 *
 * <p>CONTRACT (the servlet layer depends on these signatures; the format owner may add to them).
 */
public final class ObjectCrypto {
    private ObjectCrypto() {}

    /**
     * Plaintext in, the whole stored object out (header bytes, then the sealed segments). For the
     * NONE algorithm {@code dataKey} is null and the output is the header followed by the plaintext.
     * The caller keeps ownership of {@code dataKey}; the stream derives what it needs at creation.
     */
    public static InputStream encryptingStream(ObjectHeader header, DataKey dataKey, InputStream plaintext) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(plaintext, "plaintext");
        if (header.algorithm() == ContentAlgorithm.NONE) {
            return new SequenceInputStream(new ByteArrayInputStream(header.encode(null)), plaintext);
        }
        return encryptingStream(header, dataKey, plaintext, PlaintextObserver.NONE);
    }

    /**
     * As {@link #encryptingStream(ObjectHeader, DataKey, InputStream)}, lending each plaintext
     * segment to {@code observer} before it is sealed (see {@link PlaintextObserver} for when).
     * Encrypted algorithms only: the plain envelope has no segments to lend.
     */
    public static InputStream encryptingStream(ObjectHeader header, DataKey dataKey, InputStream plaintext,
            PlaintextObserver observer) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(observer, "observer");
        if (header.algorithm() == ContentAlgorithm.NONE) {
            // Fail closed: an observer that would never be called could never refuse the body.
            throw new IllegalArgumentException("the plain envelope has no segments to observe");
        }
        Objects.requireNonNull(dataKey, "dataKey");
        byte[] headerBytes = header.encode(dataKey);
        SegmentCipher cipher = newCipher(header, dataKey);
        return new EncryptingStream(headerBytes, cipher, header.segmentSize(), plaintext, observer);
    }

    /**
     * Checks the header's MAC under {@code dataKey} (FormatException HEADER_AUTHENTICATION_FAILED on
     * a wrong key or tampered header) and returns a decryptor for that object. A header made here
     * (not parsed) has no stored MAC and is trusted as is. For the NONE algorithm {@code dataKey} is
     * ignored (may be null) and the header's SHA-256 checksum is checked instead.
     */
    public static Decryptor openForDecryption(ObjectHeader header, DataKey dataKey) {
        Objects.requireNonNull(header, "header");
        boolean plain = header.algorithm() == ContentAlgorithm.NONE;
        if (!plain) {
            Objects.requireNonNull(dataKey, "dataKey");
        }
        byte[] stored = header.storedBytes();
        if (stored != null) {
            int macOff = stored.length - ObjectHeader.MAC_LENGTH;
            byte[] expected = header.computeMac(stored, plain ? null : dataKey);
            byte[] actual = Arrays.copyOfRange(stored, macOff, stored.length);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new FormatException(FormatException.Reason.HEADER_AUTHENTICATION_FAILED,
                        "header MAC does not verify (tampered header or wrong data key)");
            }
        }
        if (plain) {
            return new PlainDecryptor(header);
        }
        byte[] contentKey = ObjectKeys.contentKey(dataKey, header.salt(), header.algorithm(), header.segmentLog2());
        return new SegmentDecryptor(header, contentKey);
    }

    private static SegmentCipher newCipher(ObjectHeader header, DataKey dataKey) {
        byte[] contentKey = ObjectKeys.contentKey(dataKey, header.salt(), header.algorithm(), header.segmentLog2());
        try {
            return SegmentCipher.create(header.algorithm(), contentKey);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    /**
     * Decrypts one authenticated object. Each stream it hands out holds its own copy of the content
     * key and wipes it at EOF, on failure or on close; {@link #close()} wipes the decryptor's copy.
     */
    public interface Decryptor extends AutoCloseable {
        ObjectHeader header();

        /**
         * The whole plaintext from {@code segments}, positioned just after the header. Detects
         * truncation (also at a segment boundary) and trailing data at EOF. {@code ciphertextLength}
         * is the stored length if known (header included), or -1.
         */
        InputStream decryptingStream(InputStream segments, long ciphertextLength);

        /**
         * The plaintext of {@code plan} from {@code ciphertext}, positioned at
         * {@code plan.ciphertextOffset()}; reads at most {@code plan.ciphertextLength()} bytes.
         */
        InputStream rangeStream(InputStream ciphertext, RangePlan plan);

        /** Random access: plaintext {@code [first, lastInclusive]}, reading only the segments needed. */
        InputStream rangeStream(SeekableByteChannel object, long first, long lastInclusive);

        /**
         * Push-style primitive for callers that receive ciphertext as writes (a servlet response):
         * authenticates and decrypts one whole sealed segment {@code in[inOff, inOff+inLen)} (plaintext
         * + 16-byte tag) with segment number {@code index} and the final-segment flag {@code last},
         * into {@code out[outOff...]}; returns the plaintext length. Nothing is written to
         * {@code out} unless the tag verifies (FormatException SEGMENT_AUTHENTICATION_FAILED).
         * {@code in} and {@code out} must be different arrays.
         */
        int openSegment(long index, boolean last, byte[] in, int inOff, int inLen, byte[] out, int outOff);

        /**
         * The plaintext length of {@code object}, verified: the final segment is read and
         * authenticated (one segment of work), so a truncated or extended object fails here rather
         * than in the middle of a response body. Use before committing HEAD/GET response headers.
         */
        default long verifiedPlaintextLength(SeekableByteChannel object) throws IOException {
            long p = header().plaintextLength(object.size());
            if (p == 0) {
                // An empty object is one sealed empty segment: authenticate it.
                object.position(header().length());
                try (InputStream in = decryptingStream(Channels.newInputStream(object), object.size())) {
                    in.transferTo(OutputStreamSink.INSTANCE);
                }
                return 0;
            }
            try (InputStream in = rangeStream(object, p - 1, p - 1)) {
                in.transferTo(OutputStreamSink.INSTANCE);
            }
            return p;
        }

        /**
         * An independent decryptor for the same, already authenticated object (its own copy of the
         * content key; closing one leaves the other working): what a cache of opened objects hands
         * out instead of the one it keeps.
         */
        Decryptor duplicate();

        /** Wipes this decryptor's copy of the content key; streams already handed out keep working. */
        @Override
        void close();
    }

    /** Discards bytes (verification reads). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    private static final class SegmentDecryptor implements Decryptor {
        private final ObjectHeader header;
        private final byte[] contentKey;
        /** Shared by a decryptor and its duplicates (same key): openSegment's ciphers outlive one response. */
        private final CipherPool pool;
        private volatile boolean closed;
        private SegmentCipher pushCipher; // openSegment's, borrowed on first use (one caller at a time)

        SegmentDecryptor(ObjectHeader header, byte[] contentKey) {
            this(header, contentKey, new CipherPool());
        }

        private SegmentDecryptor(ObjectHeader header, byte[] contentKey, CipherPool pool) {
            this.header = header;
            this.contentKey = contentKey;
            this.pool = pool;
            pool.retain();
        }

        @Override
        public ObjectHeader header() {
            return header;
        }

        private SegmentCipher cipher() {
            if (closed) {
                throw new IllegalStateException("decryptor closed");
            }
            return SegmentCipher.create(header.algorithm(), contentKey);
        }

        @Override
        public InputStream decryptingStream(InputStream segments, long ciphertextLength) {
            Objects.requireNonNull(segments, "segments");
            int s = header.segmentSize();
            if (ciphertextLength < 0) {
                if (ciphertextLength != -1) {
                    throw new IllegalArgumentException("ciphertextLength must be >= 0 or -1");
                }
                return new DecryptingStream(cipher(), s, segments, 0, -1, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
                        false);
            }
            long p = header.plaintextLength(ciphertextLength);
            long n = header.segmentCount(p);
            int lastSealed = (int) (ciphertextLength - header.length() - (n - 1) * ((long) s + ObjectHeader.TAG_LENGTH));
            return new DecryptingStream(cipher(), s, segments, 0, n - 1, lastSealed, n - 1, 0, Long.MAX_VALUE, true);
        }

        @Override
        public InputStream rangeStream(InputStream ciphertext, RangePlan plan) {
            Objects.requireNonNull(ciphertext, "ciphertext");
            checkPlan(header, plan);
            int s = header.segmentSize();
            long n = header.segmentCount(plan.plaintextLength());
            long t = (long) s + ObjectHeader.TAG_LENGTH;
            int lastSealed = (int) (plan.plaintextLength() - (n - 1) * s + ObjectHeader.TAG_LENGTH);
            long endIndex = plan.lastInclusive() / s;
            long skip = plan.first() - plan.firstSegment() * s;
            assert plan.ciphertextOffset() == header.length() + plan.firstSegment() * t;
            return new DecryptingStream(cipher(), s, ciphertext, plan.firstSegment(), n - 1, lastSealed, endIndex,
                    skip, plan.length(), false);
        }

        @Override
        public InputStream rangeStream(SeekableByteChannel object, long first, long lastInclusive) {
            return channelRange(this, object, first, lastInclusive);
        }

        @Override
        public int openSegment(long index, boolean last, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
            if (inLen < ObjectHeader.TAG_LENGTH || inLen > header.segmentSize() + ObjectHeader.TAG_LENGTH) {
                throw new FormatException(FormatException.Reason.TRUNCATED, "segment " + index + " has " + inLen + " bytes");
            }
            if (inLen == ObjectHeader.TAG_LENGTH && !(last && index == 0)) {
                // Only the single segment of an empty object may be empty (the size mapping depends on it).
                throw new FormatException(FormatException.Reason.TRUNCATED, "empty segment " + index);
            }
            if (pushCipher == null) {
                SegmentCipher pooled = pool.take();
                pushCipher = pooled != null ? pooled : cipher();
            }
            try {
                return pushCipher.open(index, last, in, inOff, inLen, out, outOff);
            } catch (AEADBadTagException e) {
                throw new FormatException(FormatException.Reason.SEGMENT_AUTHENTICATION_FAILED,
                        "segment " + index + " does not authenticate");
            }
        }

        @Override
        public Decryptor duplicate() {
            if (closed) {
                throw new IllegalStateException("decryptor closed");
            }
            return new SegmentDecryptor(header, contentKey.clone(), pool);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Arrays.fill(contentKey, (byte) 0);
            if (pushCipher != null) {
                pool.give(pushCipher);
                pushCipher = null;
            }
            pool.release();
        }

        @Override
        public String toString() {
            return "Decryptor[" + header + ", key redacted]";
        }
    }

    /**
     * Idle segment ciphers of one object, for the next download of it: a reused SunJCE cipher keeps
     * its expanded AES key, which saves the provider lookup and key schedule that were ~2 µs of a
     * 4 KiB download (docs/BENCHMARKS.md). It lives as long as one decryptor of the object is open
     * (a download-cache entry keeps one): when the last closes, the idle ciphers are wiped, and a
     * cipher handed back afterwards is wiped instead of kept.
     */
    private static final class CipherPool {
        /** About one per core is what concurrent downloads of one object can use at once. */
        private static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());
        private final ArrayDeque<SegmentCipher> idle = new ArrayDeque<>();
        private int holders;
        private boolean closed;

        synchronized void retain() {
            if (closed) {
                throw new IllegalStateException("decryptor closed");
            }
            holders++;
        }

        /** The last holder's release wipes the idle ciphers and closes the pool. */
        void release() {
            List<SegmentCipher> wipe;
            synchronized (this) {
                if (--holders > 0) {
                    return;
                }
                closed = true;
                wipe = List.copyOf(idle);
                idle.clear();
            }
            wipe.forEach(SegmentCipher::close);
        }

        synchronized SegmentCipher take() {
            return idle.pollFirst();
        }

        void give(SegmentCipher cipher) {
            synchronized (this) {
                if (!closed && idle.size() < MAX_IDLE) {
                    idle.addFirst(cipher);
                    return;
                }
            }
            cipher.close();
        }
    }

    private static final class PlainDecryptor implements Decryptor {
        private final ObjectHeader header;

        PlainDecryptor(ObjectHeader header) {
            this.header = header;
        }

        @Override
        public ObjectHeader header() {
            return header;
        }

        @Override
        public InputStream decryptingStream(InputStream segments, long ciphertextLength) {
            Objects.requireNonNull(segments, "segments");
            if (ciphertextLength < 0) {
                if (ciphertextLength != -1) {
                    throw new IllegalArgumentException("ciphertextLength must be >= 0 or -1");
                }
                return segments;
            }
            return new ExactLengthStream(segments, header.plaintextLength(ciphertextLength), true);
        }

        @Override
        public InputStream rangeStream(InputStream ciphertext, RangePlan plan) {
            Objects.requireNonNull(ciphertext, "ciphertext");
            checkPlan(header, plan);
            return new ExactLengthStream(ciphertext, plan.length(), false);
        }

        @Override
        public InputStream rangeStream(SeekableByteChannel object, long first, long lastInclusive) {
            return channelRange(this, object, first, lastInclusive);
        }

        @Override
        public int openSegment(long index, boolean last, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
            throw new UnsupportedOperationException("the plain envelope has no segments");
        }

        @Override
        public Decryptor duplicate() {
            return this; // holds no key
        }

        @Override
        public void close() {}
    }

    private static InputStream channelRange(Decryptor d, SeekableByteChannel object, long first, long lastInclusive) {
        Objects.requireNonNull(object, "object");
        try {
            RangePlan plan = d.header().planRange(object.size(), first, lastInclusive);
            object.position(plan.ciphertextOffset());
            return d.rangeStream(Channels.newInputStream(object), plan);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plan must be the one this header makes for its own object; anything else is a caller bug. */
    private static void checkPlan(ObjectHeader header, RangePlan plan) {
        Objects.requireNonNull(plan, "plan");
        RangePlan expected = header.planRange(header.ciphertextLength(plan.plaintextLength()), plan.first(),
                plan.lastInclusive());
        if (!expected.equals(plan)) {
            throw new IllegalArgumentException("range plan " + plan + " was not made for this header");
        }
    }

    /** Exactly {@code length} bytes of a plain-envelope body: short is TRUNCATED, more (if checked) TRAILING_DATA. */
    private static final class ExactLengthStream extends InputStream {
        private final InputStream in;
        private final boolean checkTrailing;
        private long remaining;
        private boolean checked;

        ExactLengthStream(InputStream in, long length, boolean checkTrailing) {
            this.in = in;
            this.remaining = length;
            this.checkTrailing = checkTrailing;
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
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                if (checkTrailing && !checked) {
                    checked = true;
                    if (in.read() >= 0) {
                        throw new FormatException(FormatException.Reason.TRAILING_DATA, "bytes after the object");
                    }
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new FormatException(FormatException.Reason.TRUNCATED, "object is cut short");
            }
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
