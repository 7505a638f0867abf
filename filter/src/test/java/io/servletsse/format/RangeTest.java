package io.servletsse.format;

import static io.servletsse.format.FormatTestSupport.drain;
import static io.servletsse.format.FormatTestSupport.encrypt;
import static io.servletsse.format.FormatTestSupport.header;
import static io.servletsse.format.FormatTestSupport.newKey;
import static io.servletsse.format.FormatTestSupport.patternByte;
import static io.servletsse.format.FormatTestSupport.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SegmentCipher;
import io.servletsse.format.FormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RangeTest {
    private static final int S = 4096;
    private static final int T = S + 16;

    /** First/last candidates: object ends, segment boundaries and their neighbours. */
    private static List<Long> interestingPoints(long p) {
        TreeSet<Long> pts = new TreeSet<>();
        for (long seg = 0; seg * S <= p; seg++) {
            for (long d = -2; d <= 2; d++) {
                pts.add(seg * S + d);
            }
        }
        pts.add(p - 1);
        pts.add(p - 2);
        pts.removeIf(x -> x < 0 || x >= p);
        return new ArrayList<>(pts);
    }

    @Test
    void everyRangeShape_overChannelAndStream_returnsExactlyThoseBytes_readingOnlyCoveringSegments()
            throws IOException {
        for (ContentAlgorithm alg : new ContentAlgorithm[] {ContentAlgorithm.AES_256_GCM, ContentAlgorithm.SM4_GCM}) {
            for (int size : new int[] {1, S - 1, S, S + 1, 4 * S + 77}) {
                byte[] pt = random(size, size);
                ObjectHeader h = header(alg, S);
                try (DataKey key = newKey()) {
                    byte[] stored = encrypt(h, key, pt);
                    ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(ObjectHeader.parse(stored, 0, Math.min(4096, stored.length)), key);
                    List<Long> pts = interestingPoints(size);
                    for (long first : pts) {
                        for (long last : pts) {
                            if (last < first) {
                                continue;
                            }
                            checkRange(h, d, stored, pt, first, last);
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomRanges_matchThePlaintext() throws IOException {
        int size = 9 * S + 1234;
        byte[] pt = random(size, 77);
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        Random r = new Random(78);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, pt);
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, key);
            for (int i = 0; i < 400; i++) {
                long a = r.nextInt(size);
                long b = a + r.nextInt((int) Math.min(size - a, i % 2 == 0 ? 50 : size));
                checkRange(h, d, stored, pt, a, b);
            }
        }
    }

    private static void checkRange(ObjectHeader h, ObjectCrypto.Decryptor d, byte[] stored, byte[] pt, long first,
            long last) throws IOException {
        byte[] expected = Arrays.copyOfRange(pt, (int) first, (int) last + 1);
        RangePlan plan = h.planRange(stored.length, first, last);
        assertThat(plan.length()).isEqualTo(last - first + 1);
        assertThat(plan.firstSegment()).isEqualTo(first / S);
        assertThat(plan.ciphertextOffset()).isEqualTo(h.length() + first / S * T);
        assertThat(plan.ciphertextEnd()).isEqualTo(Math.min(h.length() + (last / S + 1) * T, stored.length));
        // Stream variant: never reads past plan.ciphertextLength().
        ObjectCryptoRoundTripTest.CountingStream in = new ObjectCryptoRoundTripTest.CountingStream(
                new ByteArrayInputStream(stored, (int) plan.ciphertextOffset(), stored.length));
        FormatTestSupport.Outcome o = drain(d.rangeStream(in, plan), (int) (first % 5000) + 1);
        assertThat(o.failure()).as("range %d-%d", first, last).isNull();
        assertThat(o.released()).as("range %d-%d", first, last).isEqualTo(expected);
        assertThat(in.count).as("bytes read for %d-%d", first, last).isEqualTo(plan.ciphertextLength());
        // Channel variant.
        CountingChannel ch = new CountingChannel(new ArrayChannel(stored));
        assertThat(d.rangeStream(ch, first, last).readAllBytes()).isEqualTo(expected);
        assertThat(ch.read).isEqualTo(plan.ciphertextLength());
    }

    @Test
    void invalidRanges_areRejected() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            long c = h.ciphertextLength(100);
            for (long[] r : new long[][] {{-1, 5}, {0, 100}, {50, 49}, {100, 100}, {0, Long.MAX_VALUE}}) {
                assertThatThrownBy(() -> h.planRange(c, r[0], r[1])).isInstanceOfSatisfying(FormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_RANGE));
            }
            long empty = h.ciphertextLength(0);
            assertThatThrownBy(() -> h.planRange(empty, 0, 0)).isInstanceOfSatisfying(FormatException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_RANGE));
            // A plan made for another object shape is a caller bug, not silently served.
            RangePlan other = header(ContentAlgorithm.AES_256_GCM, 2 * S).planRange(c + 0, 0, 10);
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, key);
            RangePlan forged = new RangePlan(0, 10, 100, 1, other.ciphertextOffset(), other.ciphertextEnd());
            assertThatThrownBy(() -> d.rangeStream(InputStream.nullInputStream(), forged))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Ranges in a 5 GiB object (segment indexes and offsets past 2^31 and 2^32 bytes), served from a
     * channel that seals each segment on demand, so nothing of that size exists anywhere.
     */
    @Test
    void rangesBeyond4GiB_atDefaultSegmentSize_readOnlyTheirSegments() throws IOException {
        long p = (5L << 30) + 777;
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, ObjectHeader.DEFAULT_SEGMENT_SIZE);
        try (DataKey key = newKey()) {
            GeneratedObjectChannel ch = new GeneratedObjectChannel(h, key, p);
            assertThat(h.plaintextLength(ch.size())).isEqualTo(p);
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, key);
            long s = ObjectHeader.DEFAULT_SEGMENT_SIZE;
            long[][] ranges = {{(1L << 31) - 3, (1L << 31) + 3}, {(1L << 32) - 1, (1L << 32)}, {p - 1, p - 1},
                {p - 70_000, p - 1}, {0, 10}, {3 * s + 5, 5 * s + 5}};
            for (long[] r : ranges) {
                ch.read = 0;
                byte[] got = d.rangeStream(ch, r[0], r[1]).readAllBytes();
                assertThat(got).hasSize((int) (r[1] - r[0] + 1));
                for (int i = 0; i < got.length; i++) {
                    if (got[i] != patternByte(r[0] + i)) {
                        throw new AssertionError("mismatch at " + (r[0] + i));
                    }
                }
                assertThat(ch.read).isEqualTo(h.planRange(ch.size(), r[0], r[1]).ciphertextLength());
            }
            assertThat(d.verifiedPlaintextLength(ch)).isEqualTo(p);
        }
    }

    @Test
    void verifiedPlaintextLength_detectsCutAtSegmentBoundary() throws IOException {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, random(3 * S + 5, 1));
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, key);
            assertThat(d.verifiedPlaintextLength(new ArrayChannel(stored))).isEqualTo(3 * S + 5);
            byte[] cut = Arrays.copyOf(stored, h.length() + 2 * T);
            assertThatThrownBy(() -> d.verifiedPlaintextLength(new ArrayChannel(cut)))
                    .isInstanceOf(FormatException.class);
            byte[] empty = encrypt(h, key, new byte[0]);
            assertThat(d.verifiedPlaintextLength(new ArrayChannel(empty))).isZero();
            empty[empty.length - 1] ^= 1;
            assertThatThrownBy(() -> d.verifiedPlaintextLength(new ArrayChannel(empty)))
                    .isInstanceOf(FormatException.class);
        }
    }

    /** Read-only channel over an array. */
    static class ArrayChannel implements SeekableByteChannel {
        private final byte[] data;
        private long pos;

        ArrayChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - pos);
            dst.put(data, (int) pos, n);
            pos += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            pos = newPosition;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    /** Counts the bytes read through it. */
    static final class CountingChannel extends ArrayChannel {
        private final SeekableByteChannel in;
        long read;

        CountingChannel(SeekableByteChannel in) {
            super(new byte[0]);
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) {
            try {
                int n = in.read(dst);
                if (n > 0) {
                    read += n;
                }
                return n;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public long position() {
            try {
                return in.position();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public SeekableByteChannel position(long p) {
            try {
                in.position(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public long size() {
            try {
                return in.size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** A stored object of any size whose segments are sealed on demand from the pattern generator. */
    static final class GeneratedObjectChannel extends ArrayChannel {
        private final ObjectHeader h;
        private final byte[] headerBytes;
        private final SegmentCipher cipher;
        private final long plaintextLength;
        private final long size;
        private final long lastIndex;
        private final int s;
        private final int t;
        private final byte[] plain;
        private final byte[] sealed;
        private long cachedIndex = -1;
        private int cachedLength;
        private long pos;
        long read;

        GeneratedObjectChannel(ObjectHeader h, DataKey key, long plaintextLength) {
            super(new byte[0]);
            this.h = h;
            this.headerBytes = h.encode(key);
            this.cipher = SegmentCipher.create(h.algorithm(),
                    ObjectKeys.contentKey(key, h.salt(), h.algorithm(), h.segmentLog2()));
            this.plaintextLength = plaintextLength;
            this.size = h.ciphertextLength(plaintextLength);
            this.lastIndex = h.segmentCount(plaintextLength) - 1;
            this.s = h.segmentSize();
            this.t = s + 16;
            this.plain = new byte[s];
            this.sealed = new byte[t];
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= size) {
                return -1;
            }
            int n;
            if (pos < h.length()) {
                n = (int) Math.min(dst.remaining(), h.length() - pos);
                dst.put(headerBytes, (int) pos, n);
            } else {
                long idx = (pos - h.length()) / t;
                int within = (int) ((pos - h.length()) % t);
                if (idx != cachedIndex) {
                    long start = idx * s;
                    int len = (int) Math.min(s, plaintextLength - start);
                    for (int i = 0; i < len; i++) {
                        plain[i] = patternByte(start + i);
                    }
                    cachedLength = cipher.seal(idx, idx == lastIndex, plain, 0, len, sealed, 0);
                    cachedIndex = idx;
                }
                n = Math.min(dst.remaining(), cachedLength - within);
                dst.put(sealed, within, n);
            }
            pos += n;
            read += n;
            return n;
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public SeekableByteChannel position(long p) {
            pos = p;
            return this;
        }

        @Override
        public long size() {
            return size;
        }
    }
}
