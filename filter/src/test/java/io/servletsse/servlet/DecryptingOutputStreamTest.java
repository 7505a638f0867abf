package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.format.FormatException;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.RangePlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The response-side (push) decryptor: whatever sizes the app writes in, the plaintext out is exact,
 * and a bad segment releases none of its bytes.
 */
class DecryptingOutputStreamTest {
    static final int S = 4096;
    static final int T = S + 16;
    final SecureRandom random = new SecureRandom();

    record Sealed(ObjectHeader header, DataKey key, byte[] stored) {}

    Sealed seal(byte[] plain, ContentAlgorithm alg) throws IOException {
        byte[] salt = ObjectHeader.newSalt(random);
        DataKey key = DataKey.generate(random);
        ObjectHeader h = ObjectHeader.create(alg, S, salt, new KeyEnvelope("test", "k", "none", new byte[0]));
        byte[] stored = ObjectCrypto.encryptingStream(h, key, new ByteArrayInputStream(plain)).readAllBytes();
        return new Sealed(ObjectHeader.parse(stored, 0, stored.length), key, stored);
    }

    /** Writes {@code bytes[from, to)} in random chunk sizes (1 byte up to 3 segments). */
    static void writeChunked(DecryptingOutputStream out, byte[] bytes, int from, int to, long seed) throws IOException {
        Random r = new Random(seed);
        int pos = from;
        while (pos < to) {
            int n = Math.min(to - pos, r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(3 * T));
            out.write(bytes, pos, n);
            pos += n;
        }
    }

    @ParameterizedTest(name = "{0} bytes, length known: {1}")
    @CsvSource({"0, true", "1, true", "4095, true", "4096, true", "4097, true", "40000, true",
        "0, false", "1, false", "4096, false", "8192, false", "40000, false"})
    void wholeObject_anyWriteSizes_yieldsThePlaintext(int size, boolean lengthKnown) throws Exception {
        byte[] plain = new byte[size];
        random.nextBytes(plain);
        Sealed s = seal(plain, ContentAlgorithm.AES_256_GCM);
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(s.header(), s.key())) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            long n = lengthKnown ? s.header().segmentCount(size) : -1;
            DecryptingOutputStream out = new DecryptingOutputStream(d, sink, S, 0, n, 0, 0, -1);
            writeChunked(out, s.stored(), s.header().length(), s.stored().length, size);
            out.close();
            assertThat(sink.toByteArray()).isEqualTo(plain);
        }
    }

    @ParameterizedTest(name = "range {0}-{1}")
    @CsvSource({"0, 0", "4095, 4096", "5000, 5000", "100, 39999", "36000, 39999", "8192, 12287"})
    void range_fromPlannedSegments_yieldsTheSlice(long first, long last) throws Exception {
        byte[] plain = new byte[40000];
        random.nextBytes(plain);
        Sealed s = seal(plain, ContentAlgorithm.SM4_GCM);
        RangePlan plan = s.header().planRange(s.stored().length, first, last);
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(s.header(), s.key())) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DecryptingOutputStream out = new DecryptingOutputStream(d, sink, S, plan.firstSegment(),
                    s.header().segmentCount(plain.length), 0, first - plan.firstSegment() * S, plan.length());
            writeChunked(out, s.stored(), (int) plan.ciphertextOffset(), (int) plan.ciphertextEnd(), first);
            out.close();
            assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOfRange(plain, (int) first, (int) last + 1));
        }
    }

    @ParameterizedTest(name = "byte flipped in segment {0}")
    @ValueSource(ints = {0, 1, 4, 9})
    void tamperedSegment_releasesOnlyTheSegmentsBeforeIt(int bad) throws Exception {
        byte[] plain = new byte[10 * S - 7];
        random.nextBytes(plain);
        Sealed s = seal(plain, ContentAlgorithm.AES_256_GCM);
        byte[] stored = s.stored().clone();
        stored[s.header().length() + bad * T + 100] ^= 0x40;
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(s.header(), s.key())) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DecryptingOutputStream out = new DecryptingOutputStream(d, sink, S, 0, 10, 0, 0, -1);
            assertThatThrownBy(() -> {
                writeChunked(out, stored, s.header().length(), stored.length, bad);
                out.close();
            }).isInstanceOf(DecryptingOutputStream.DecryptionFailedException.class)
                    .hasCauseInstanceOf(FormatException.class);
            assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOf(plain, bad * S));
            assertThatThrownBy(() -> out.write(1)).as("failure is sticky").isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "cut after {0} segments, length known: {1}")
    @CsvSource({"1, true", "2, true", "1, false", "2, false"})
    void truncatedAtSegmentBoundary_failsAtClose(int kept, boolean lengthKnown) throws Exception {
        byte[] plain = new byte[3 * S];
        random.nextBytes(plain);
        Sealed s = seal(plain, ContentAlgorithm.AES_256_GCM);
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(s.header(), s.key())) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DecryptingOutputStream out = new DecryptingOutputStream(d, sink, S, 0, lengthKnown ? 3 : -1, 0, 0, -1);
            writeChunked(out, s.stored(), s.header().length(), s.header().length() + kept * T, kept);
            assertThatThrownBy(out::close).isInstanceOf(DecryptingOutputStream.DecryptionFailedException.class);
            // Without a known length the cut is seen only when the would-be final segment fails its tag:
            // in neither case does a byte of an unauthenticated final segment come out.
            assertThat(sink.size()).isLessThanOrEqualTo(kept * S);
            assertThat(sink.toByteArray()).isEqualTo(Arrays.copyOf(plain, sink.size()));
        }
    }

    @ParameterizedTest(name = "length known: {0}")
    @ValueSource(booleans = {true, false})
    void bytesAfterTheFinalSegment_fail(boolean lengthKnown) throws Exception {
        byte[] plain = new byte[2 * S + 5];
        random.nextBytes(plain);
        Sealed s = seal(plain, ContentAlgorithm.AES_256_GCM);
        byte[] extended = Arrays.copyOf(s.stored(), s.stored().length + 20);
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(s.header(), s.key())) {
            DecryptingOutputStream out = new DecryptingOutputStream(d, new ByteArrayOutputStream(), S, 0,
                    lengthKnown ? 3 : -1, 0, 0, -1);
            assertThatThrownBy(() -> {
                writeChunked(out, extended, s.header().length(), extended.length, 3);
                out.close();
            }).isInstanceOf(DecryptingOutputStream.DecryptionFailedException.class);
        }
    }
}
