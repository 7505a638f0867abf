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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ObjectCryptoRoundTripTest {
    private static final int S = 4096;

    @ParameterizedTest
    @EnumSource(value = ContentAlgorithm.class, names = {"AES_256_GCM", "SM4_GCM"})
    void boundarySizes_roundTripWithKnownAndUnknownLength(ContentAlgorithm alg) throws IOException {
        int[] sizes = {0, 1, S - 1, S, S + 1, 2 * S - 1, 2 * S, 2 * S + 1, 7 * S + 123};
        for (int size : sizes) {
            ObjectHeader h = header(alg, S);
            byte[] pt = random(size, size);
            try (DataKey key = newKey()) {
                byte[] ct = encrypt(h, key, pt);
                assertThat(ct.length).as("size %d", size).isEqualTo(h.ciphertextLength(size));
                assertThat(h.plaintextLength(ct.length)).isEqualTo(size);
                ObjectHeader parsed = ObjectHeader.parse(ct, 0, ct.length);
                try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(parsed, key)) {
                    for (long len : new long[] {ct.length, -1}) {
                        for (int chunk : new int[] {1, 100, S, 3 * S + 7}) {
                            if (chunk == 1 && size > 2 * S + 1) {
                                continue;
                            }
                            InputStream body = new ByteArrayInputStream(ct, h.length(), ct.length - h.length());
                            FormatTestSupport.Outcome o = drain(d.decryptingStream(body, len), chunk);
                            assertThat(o.failure()).as("size %d len %d chunk %d", size, len, chunk).isNull();
                            assertThat(o.released()).isEqualTo(pt);
                        }
                    }
                }
            }
        }
    }

    @Test
    void encryptingStream_plaintextInTinyReads_andOutputReadByteByByte_sameBytesAsBulk() throws IOException {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] bulk = ObjectCrypto.encryptingStream(h, key, new FormatTestSupport.PatternStream(3 * S + 5, 1 << 20))
                    .readAllBytes();
            InputStream tiny = ObjectCrypto.encryptingStream(h, key, new FormatTestSupport.PatternStream(3 * S + 5, 7));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int b;
            while ((b = tiny.read()) >= 0) {
                out.write(b);
            }
            assertThat(out.toByteArray()).isEqualTo(bulk);
            byte[] pt = FormatTestSupport.pattern(3 * S + 5);
            assertThat(encrypt(h, key, pt)).isEqualTo(bulk);
        }
    }

    @Test
    void encryptingStream_sameInputsTwice_isDeterministic_butFreshSaltChangesEverySegment() {
        byte[] pt = random(2 * S + 9, 1);
        try (DataKey key = newKey()) {
            ObjectHeader h1 = header(ContentAlgorithm.AES_256_GCM, S);
            ObjectHeader h2 = header(ContentAlgorithm.AES_256_GCM, S);
            byte[] a = encrypt(h1, key, pt);
            assertThat(encrypt(h1, key, pt)).isEqualTo(a);
            byte[] b = encrypt(h2, key, pt);
            for (int seg = 0; seg < 3; seg++) {
                int off = h1.length() + seg * (S + 16);
                assertThat(java.util.Arrays.copyOfRange(b, off, off + 16))
                        .isNotEqualTo(java.util.Arrays.copyOfRange(a, off, off + 16));
            }
        }
    }

    @Test
    void plainEnvelope_plaintextStartingWithMagic_roundTripsByteForByte() throws IOException {
        byte[] pt = new byte[5000];
        System.arraycopy(ObjectHeader.magic(), 0, pt, 0, 4);
        ObjectHeader h = ObjectHeader.plainEnvelope();
        byte[] stored = encrypt(h, null, pt);
        assertThat(stored).hasSize(ObjectHeader.PLAIN_ENVELOPE_LENGTH + pt.length);
        assertThat(ObjectHeader.hasMagic(stored, 0, stored.length)).isTrue();
        ObjectHeader parsed = ObjectHeader.parse(stored, 0, 4096);
        assertThat(parsed.algorithm()).isEqualTo(ContentAlgorithm.NONE);
        assertThat(parsed.plaintextLength(stored.length)).isEqualTo(pt.length);
        ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(parsed, null);
        InputStream body = new ByteArrayInputStream(stored, parsed.length(), stored.length - parsed.length());
        assertThat(d.decryptingStream(body, stored.length).readAllBytes()).isEqualTo(pt);
        RangePlan plan = parsed.planRange(stored.length, 2, 9);
        InputStream at = new ByteArrayInputStream(stored, (int) plan.ciphertextOffset(), stored.length);
        assertThat(d.rangeStream(at, plan).readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(pt, 2, 10));
        // Cut short: TRUNCATED, never a silently short object.
        InputStream cut = new ByteArrayInputStream(stored, parsed.length(), 100);
        assertThat(drain(d.decryptingStream(cut, stored.length), 64).failure())
                .isInstanceOfSatisfying(FormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(FormatException.Reason.TRUNCATED));
    }

    @Test
    void plainEnvelope_headerBitFlip_failsChecksum() {
        byte[] stored = encrypt(ObjectHeader.plainEnvelope(), null, new byte[10]);
        for (int bit = 0; bit < ObjectHeader.PLAIN_ENVELOPE_LENGTH * 8; bit++) {
            byte[] t = stored.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> ObjectCrypto.openForDecryption(ObjectHeader.parse(t, 0, t.length), null))
                    .as("bit %d", bit).isInstanceOf(FormatException.class);
        }
    }

    /**
     * More than 2 GiB at the default 64 KiB segment size, generated on the fly and piped from the
     * encrypting stream straight into the decrypting stream (unknown length: read-ahead finds the
     * end), every output byte compared with the generator. Nothing is held in memory.
     */
    @Test
    void over2GiB_defaultSegmentSize_streamsThroughInConstantMemory() throws Exception {
        long size = (2L << 30) + 12_345;
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, ObjectHeader.DEFAULT_SEGMENT_SIZE);
        try (DataKey key = newKey()) {
            InputStream enc = ObjectCrypto.encryptingStream(h, key, new FormatTestSupport.PatternStream(size, 1 << 17));
            CountingStream counted = new CountingStream(enc);
            ObjectHeader parsed = ObjectHeader.read(counted);
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(parsed, key);
            InputStream dec = d.decryptingStream(counted, -1);
            byte[] buf = new byte[200_000];
            long pos = 0;
            int n;
            long mismatches = 0;
            while ((n = dec.read(buf, 0, buf.length)) >= 0) {
                for (int i = 0; i < n; i += 997) {
                    if (buf[i] != patternByte(pos + i)) {
                        mismatches++;
                    }
                }
                if (buf[n - 1] != patternByte(pos + n - 1)) {
                    mismatches++;
                }
                pos += n;
            }
            assertThat(mismatches).isZero();
            assertThat(pos).isEqualTo(size);
            assertThat(counted.count).isEqualTo(h.ciphertextLength(size));
            assertThat(h.plaintextLength(counted.count)).isEqualTo(size);
        }
    }

    @Test
    void decryptingStream_pipedUnknownLengthSource_deliversEverySegmentOnlyAfterItsTag() throws Exception {
        // A source that delivers bytes as a network would (a pipe): the stream must not need EOF early.
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        byte[] pt = random(5 * S + 3, 9);
        try (DataKey key = newKey()) {
            byte[] ct = encrypt(h, key, pt);
            PipedInputStream pin = new PipedInputStream(1024);
            PipedOutputStream pout = new PipedOutputStream(pin);
            Thread writer = new Thread(() -> {
                try (pout) {
                    for (int i = h.length(); i < ct.length; i += 500) {
                        pout.write(ct, i, Math.min(500, ct.length - i));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            assertThat(ObjectCrypto.openForDecryption(h, key).decryptingStream(pin, -1).readAllBytes()).isEqualTo(pt);
            writer.join();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4096, 1 << 16, 1 << 22})
    void ciphertextAndPlaintextLength_areInverse_andOtherLengthsAreTruncated(int segmentSize) {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, segmentSize);
        long t = segmentSize + 16L;
        long[] ps = {0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 10L * segmentSize, (3L << 31) + 5,
            1L << 40};
        for (long p : ps) {
            long c = h.ciphertextLength(p);
            assertThat(c).isEqualTo(h.length() + p + 16 * Math.max(1, (p + segmentSize - 1) / segmentSize));
            assertThat(h.plaintextLength(c)).isEqualTo(p);
        }
        long h0 = h.length();
        // A body of n full segments plus an empty one (16 bytes) is not a valid length; nor is < 16 bytes.
        for (long bad : new long[] {h0 - 1, h0, h0 + 15, h0 + t + 16, h0 + 2 * t + 1, h0 + 3 * t + 16}) {
            assertThatThrownBy(() -> h.plaintextLength(bad)).as("length %d", bad)
                    .isInstanceOfSatisfying(FormatException.class,
                            e -> assertThat(e.reason()).isEqualTo(FormatException.Reason.TRUNCATED));
        }
    }

    static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /**
     * Push-style opening through duplicates, as the download cache serves an object: duplicates
     * reuse each other's ciphers once closed, in any order and from several threads, a tampered
     * segment in one never makes another release wrong bytes, and the last close ends them all.
     */
    @ParameterizedTest
    @EnumSource(value = ContentAlgorithm.class, names = {"AES_256_GCM", "SM4_GCM"})
    void duplicates_openSegments_afterTheOriginalCloses_andAcrossThreads(ContentAlgorithm alg) throws Exception {
        ObjectHeader h = header(alg, S);
        byte[] pt = random(3 * S + 10, 11);
        try (DataKey key = newKey()) {
            byte[] ct = encrypt(h, key, pt);
            ObjectHeader parsed = ObjectHeader.parse(ct, 0, ct.length);
            ObjectCrypto.Decryptor original = ObjectCrypto.openForDecryption(parsed, key);
            ObjectCrypto.Decryptor kept = original.duplicate(); // what the cache keeps
            assertThat(pushOpen(original, ct, h)).isEqualTo(pt);
            original.close();
            byte[] tampered = ct.clone();
            tampered[h.length() + S + ObjectHeader.TAG_LENGTH + 5] ^= 1; // in segment 1
            for (int round = 0; round < 3; round++) {
                try (ObjectCrypto.Decryptor d = kept.duplicate()) {
                    assertThatThrownBy(() -> pushOpen(d, tampered, h)).isInstanceOf(FormatException.class)
                            .extracting(e -> ((FormatException) e).reason())
                            .isEqualTo(FormatException.Reason.SEGMENT_AUTHENTICATION_FAILED);
                }
                try (ObjectCrypto.Decryptor d = kept.duplicate()) {
                    assertThat(pushOpen(d, ct, h)).isEqualTo(pt);
                }
            }
            List<Future<byte[]>> results = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int t = 0; t < 64; t++) {
                    results.add(pool.submit(() -> {
                        try (ObjectCrypto.Decryptor d = kept.duplicate()) {
                            return pushOpen(d, ct, h);
                        }
                    }));
                }
                for (Future<byte[]> f : results) {
                    assertThat(f.get()).isEqualTo(pt);
                }
            } finally {
                pool.shutdown();
            }
            ObjectCrypto.Decryptor last = kept.duplicate();
            kept.close();
            assertThatThrownBy(kept::duplicate).isInstanceOf(IllegalStateException.class);
            assertThat(pushOpen(last, ct, h)).as("an open duplicate outlives the one it came from").isEqualTo(pt);
            last.close();
        }
    }

    /** The plaintext of {@code ct} opened segment by segment with {@link ObjectCrypto.Decryptor#openSegment}. */
    private static byte[] pushOpen(ObjectCrypto.Decryptor d, byte[] ct, ObjectHeader h) {
        int t = h.segmentSize() + ObjectHeader.TAG_LENGTH;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] seg = new byte[h.segmentSize()];
        long index = 0;
        for (int off = h.length(); off < ct.length; off += t, index++) {
            int len = Math.min(t, ct.length - off);
            int n = d.openSegment(index, off + len == ct.length, ct, off, len, seg, 0);
            out.write(seg, 0, n);
        }
        return out.toByteArray();
    }
}
