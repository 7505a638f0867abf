package io.servletsse.format;

import static io.servletsse.format.FormatTestSupport.drain;
import static io.servletsse.format.FormatTestSupport.encrypt;
import static io.servletsse.format.FormatTestSupport.header;
import static io.servletsse.format.FormatTestSupport.newKey;
import static io.servletsse.format.FormatTestSupport.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.format.FormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every tampering must fail with a FormatException, and a reader must have received exactly the
 * plaintext of the segments before the damaged one: not one byte of a bad segment.
 */
class TamperTest {
    private static final int S = 4096;
    private static final int T = S + 16;
    private static final int P = 3 * S + 100; // four segments, the last one short

    private final byte[] plaintext = random(P, 42);

    /** Decrypts a stored object (header included) as the servlet layer would; returns what came out. */
    private static FormatTestSupport.Outcome open(byte[] stored, DataKey key, boolean knownLength, int chunk) {
        ObjectHeader h;
        ObjectCrypto.Decryptor d;
        try {
            h = ObjectHeader.parse(stored, 0, stored.length);
            d = ObjectCrypto.openForDecryption(h, key);
            ByteArrayInputStream body = new ByteArrayInputStream(stored, h.length(), stored.length - h.length());
            return drain(d.decryptingStream(body, knownLength ? stored.length : -1), chunk);
        } catch (FormatException e) {
            return new FormatTestSupport.Outcome(new byte[0], e);
        }
    }

    private void assertFailsAfterVerifiedPrefix(FormatTestSupport.Outcome o, int goodSegments, String what) {
        assertThat(o.failure()).as(what).isInstanceOf(FormatException.class);
        int prefix = Math.min(P, goodSegments * S);
        assertThat(o.released()).as(what + ": released bytes").hasSize(prefix);
        assertThat(o.released()).as(what).isEqualTo(Arrays.copyOf(plaintext, prefix));
        assertThat(o.failure().getMessage()).doesNotContainIgnoringCase("key=");
    }

    @ParameterizedTest
    @EnumSource(value = ContentAlgorithm.class, names = {"AES_256_GCM", "SM4_GCM"})
    void everyHeaderBitFlip_isRejectedBeforeAnyPlaintext(ContentAlgorithm alg) {
        ObjectHeader h = header(alg, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            for (int bit = 0; bit < h.length() * 8; bit++) {
                byte[] t = stored.clone();
                t[bit / 8] ^= (byte) (1 << (bit % 8));
                FormatTestSupport.Outcome o = open(t, key, true, 64 * 1024);
                assertFailsAfterVerifiedPrefix(o, 0, "bit " + bit);
            }
        }
    }

    @Test
    void everyBodyByteFlip_smallObject_failsAtItsSegment_afterReleasingOnlyEarlierSegments() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            for (int i = h.length(); i < stored.length; i++) {
                byte[] t = stored.clone();
                t[i] ^= (byte) (1 << (i % 8));
                int segment = (i - h.length()) / T;
                boolean known = i % 2 == 0;
                int chunk = i % 3 == 0 ? 100 : 3 * S; // both the internal-buffer and the direct path
                FormatTestSupport.Outcome o = open(t, key, known, chunk);
                assertFailsAfterVerifiedPrefix(o, segment, "byte " + i);
                assertThat(((FormatException) o.failure()).reason()).isEqualTo(Reason.SEGMENT_AUTHENTICATION_FAILED);
            }
        }
    }

    @Test
    void sampledBodyBitFlips_sm4_fail() {
        ObjectHeader h = header(ContentAlgorithm.SM4_GCM, S);
        Random r = new Random(3);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            for (int k = 0; k < 300; k++) {
                int i = h.length() + r.nextInt(stored.length - h.length());
                byte[] t = stored.clone();
                t[i] ^= (byte) (1 << r.nextInt(8));
                assertFailsAfterVerifiedPrefix(open(t, key, k % 2 == 0, 5000), (i - h.length()) / T, "byte " + i);
            }
        }
    }

    @Test
    void sampledBitFlips_largeObject_fail() {
        int size = 64 * S + 1;
        byte[] pt = random(size, 8);
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        Random r = new Random(4);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, pt);
            for (int k = 0; k < 200; k++) {
                int i = h.length() + r.nextInt(stored.length - h.length());
                byte[] t = stored.clone();
                t[i] ^= (byte) (1 << r.nextInt(8));
                FormatTestSupport.Outcome o = open(t, key, true, 1 << 16);
                int good = (i - h.length()) / T * S;
                assertThat(o.failure()).isInstanceOf(FormatException.class);
                assertThat(o.released()).isEqualTo(Arrays.copyOf(pt, good));
            }
        }
    }

    @Test
    void truncationAtEverySegmentBoundaryAndInside_fails() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            for (int len = 0; len < stored.length; len++) {
                int body = len - h.length();
                boolean boundary = body >= 0 && body % T == 0;
                boolean near = body >= 0 && (body % T <= 17 || body % T >= T - 1);
                if (!boundary && !near && len % 37 != 0) {
                    continue;
                }
                byte[] t = Arrays.copyOf(stored, len);
                for (boolean known : new boolean[] {true, false}) {
                    FormatTestSupport.Outcome o = open(t, key, known, 1000);
                    assertThat(o.failure()).as("length %d known %s", len, known).isInstanceOf(FormatException.class);
                    // Whole segments that survived may be released, nothing else: released is a segment-aligned prefix.
                    int full = Math.max(0, body) / T;
                    assertThat(o.released().length % S).as("length %d", len).isZero();
                    assertThat(o.released().length).isLessThanOrEqualTo(full * S);
                    assertThat(o.released()).isEqualTo(Arrays.copyOf(plaintext, o.released().length));
                }
            }
        }
    }

    @Test
    void truncationExactlyAtBoundary_withKnownLength_releasesVerifiedSegmentsThenFails() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            byte[] t = Arrays.copyOf(stored, h.length() + 2 * T);
            // The stored length itself is valid (two full segments): only the missing last flag betrays it.
            assertThat(h.plaintextLength(t.length)).isEqualTo(2L * S);
            FormatTestSupport.Outcome o = open(t, key, true, 100);
            assertFailsAfterVerifiedPrefix(o, 1, "cut after segment 2");
            assertThat(((FormatException) o.failure()).reason()).isEqualTo(Reason.SEGMENT_AUTHENTICATION_FAILED);
        }
    }

    @Test
    void trailingBytes_areRejected() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            byte[] longer = Arrays.copyOf(stored, stored.length + 1);
            ByteArrayInputStream body = new ByteArrayInputStream(longer, h.length(), longer.length - h.length());
            FormatTestSupport.Outcome o = drain(ObjectCrypto.openForDecryption(h, key).decryptingStream(body,
                    stored.length), 100);
            assertThat(o.failure()).isInstanceOfSatisfying(FormatException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_DATA));
            assertThat(o.released()).isEqualTo(Arrays.copyOf(plaintext, 3 * S));
            // Unknown length: the appended byte makes the real last segment non-final: it fails.
            assertFailsAfterVerifiedPrefix(open(longer, key, false, 100), 3, "appended byte");
            // A whole extra segment from the same object appended after the last: fails too.
            byte[] extended = concat(stored, Arrays.copyOfRange(stored, h.length(), h.length() + T));
            assertFailsAfterVerifiedPrefix(open(extended, key, false, 100), 3, "appended segment");
        }
    }

    @Test
    void segmentSwapAndDuplication_fail() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            int hl = h.length();
            byte[] swapped = stored.clone();
            System.arraycopy(stored, hl + T, swapped, hl + 2 * T, T);
            System.arraycopy(stored, hl + 2 * T, swapped, hl + T, T);
            assertFailsAfterVerifiedPrefix(open(swapped, key, true, 100), 1, "swap 1<->2");
            byte[] dup = concat(Arrays.copyOf(stored, hl + 2 * T), Arrays.copyOfRange(stored, hl + T, stored.length));
            assertFailsAfterVerifiedPrefix(open(dup, key, true, 100), 2, "duplicate segment 1");
            assertFailsAfterVerifiedPrefix(open(dup, key, false, 100), 2, "duplicate segment 1, unknown length");
            // Dropping a middle segment.
            byte[] dropped = concat(Arrays.copyOf(stored, hl + T), Arrays.copyOfRange(stored, hl + 2 * T, stored.length));
            assertFailsAfterVerifiedPrefix(open(dropped, key, true, 100), 1, "drop segment 1");
        }
    }

    @Test
    void headerOrSegmentsMovedBetweenObjects_fail() {
        ObjectHeader ha = header(ContentAlgorithm.AES_256_GCM, S);
        ObjectHeader hb = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey ka = newKey(); DataKey kb = newKey()) {
            byte[] a = encrypt(ha, ka, plaintext);
            byte[] b = encrypt(hb, kb, plaintext); // same plaintext, same sizes
            byte[] headerAOnBodyB = concat(Arrays.copyOf(a, ha.length()), Arrays.copyOfRange(b, hb.length(), b.length));
            assertFailsAfterVerifiedPrefix(open(headerAOnBodyB, ka, true, 100), 0, "A's header on B's body, A's key");
            FormatTestSupport.Outcome o = open(headerAOnBodyB, kb, true, 100);
            assertFailsAfterVerifiedPrefix(o, 0, "A's header on B's body, B's key");
            assertThat(((FormatException) o.failure()).reason()).isEqualTo(Reason.HEADER_AUTHENTICATION_FAILED);
            byte[] mixed = a.clone();
            System.arraycopy(b, hb.length() + T, mixed, ha.length() + T, T);
            assertFailsAfterVerifiedPrefix(open(mixed, ka, true, 100), 1, "B's segment 1 in A");
        }
    }

    @Test
    void sameDataKeyUnderAnotherSalt_segmentsDoNotTransfer() {
        try (DataKey key = newKey()) {
            ObjectHeader ha = header(ContentAlgorithm.AES_256_GCM, S);
            ObjectHeader hb = header(ContentAlgorithm.AES_256_GCM, S);
            byte[] a = encrypt(ha, key, plaintext);
            byte[] b = encrypt(hb, key, plaintext);
            byte[] spliced = concat(Arrays.copyOf(a, ha.length()), Arrays.copyOfRange(b, hb.length(), b.length));
            assertFailsAfterVerifiedPrefix(open(spliced, key, true, 100), 0, "salt of A, segments of B");
        }
    }

    @Test
    void editedAlgorithmOrSegmentSizeWithValidMac_stillFailsEverySegment() {
        // Even someone holding the data key who re-MACs a header with another segment size cannot make
        // the old segments decrypt: the content key binds alg_id and seg_log2.
        try (DataKey key = newKey()) {
            byte[] salt = ObjectHeader.newSalt(FormatTestSupport.RANDOM);
            ObjectHeader h = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, S, salt, FormatTestSupport.ENVELOPE);
            byte[] stored = encrypt(h, key, plaintext);
            ObjectHeader other = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, 2 * S, salt, FormatTestSupport.ENVELOPE);
            byte[] forged = concat(other.encode(key), Arrays.copyOfRange(stored, h.length(), stored.length));
            FormatTestSupport.Outcome o = open(forged, key, false, 100);
            assertThat(o.failure()).isInstanceOf(FormatException.class);
            assertThat(o.released()).isEmpty();
        }
    }

    @Test
    void wrongKey_failsOnTheHeader() {
        ObjectHeader h = header(ContentAlgorithm.SM4_GCM, S);
        try (DataKey key = newKey(); DataKey wrong = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            FormatTestSupport.Outcome o = open(stored, wrong, true, 100);
            assertFailsAfterVerifiedPrefix(o, 0, "wrong key");
            assertThat(((FormatException) o.failure()).reason()).isEqualTo(Reason.HEADER_AUTHENTICATION_FAILED);
            assertThat(o.failure().getMessage()).doesNotContain(java.util.HexFormat.of()
                    .formatHex(wrong.reveal(io.servletsse.crypto.SecretAccess.grant())).substring(0, 8));
        }
    }

    @Test
    void failure_isSticky_laterReadsThrowAgain() throws Exception {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            stored[h.length() + 5] ^= 1;
            var in = ObjectCrypto.openForDecryption(h, key)
                    .decryptingStream(new ByteArrayInputStream(stored, h.length(), stored.length), -1);
            assertThatThrownBy(in::read).isInstanceOf(FormatException.class);
            assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(FormatException.class);
        }
    }

    @Test
    void tamperedRange_failsWithoutReleasingTheBadSegment() {
        ObjectHeader h = header(ContentAlgorithm.AES_256_GCM, S);
        try (DataKey key = newKey()) {
            byte[] stored = encrypt(h, key, plaintext);
            stored[h.length() + 2 * T + 7] ^= 4;
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(ObjectHeader.parse(stored, 0, stored.length), key);
            RangePlan plan = h.planRange(stored.length, S + 10, 2 * S + 10);
            FormatTestSupport.Outcome o = drain(d.rangeStream(new ByteArrayInputStream(stored,
                    (int) plan.ciphertextOffset(), stored.length), plan), 7);
            assertThat(o.failure()).isInstanceOf(FormatException.class);
            assertThat(o.released()).isEqualTo(Arrays.copyOfRange(plaintext, S + 10, 2 * S));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }
}
