package io.servletsse.format;

import static io.servletsse.format.FormatTestSupport.newKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.format.FormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ObjectHeaderTest {
    private static final byte[] SALT = new byte[ObjectHeader.SALT_LENGTH];

    private static void assertReason(Runnable r, Reason reason) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(FormatException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void newHeader_encodesToDefaultLength_andParsesBackEqual() throws IOException {
        ObjectHeader h = FormatTestSupport.header(ContentAlgorithm.SM4_GCM, 1 << 20);
        try (DataKey key = newKey()) {
            byte[] b = h.encode(key);
            assertThat(b).hasSize(ObjectHeader.DEFAULT_LENGTH);
            assertThat(ObjectHeader.hasMagic(b, 0, b.length)).isTrue();
            byte[] withBody = Arrays.copyOf(b, b.length + 100);
            ObjectHeader p = ObjectHeader.parse(withBody, 0, withBody.length);
            assertThat(p).isEqualTo(h);
            assertThat(p.isParsed()).isTrue();
            assertThat(p.segmentSize()).isEqualTo(1 << 20);
            assertThat(p.keyEnvelope()).isEqualTo(FormatTestSupport.ENVELOPE);
            ByteArrayInputStream in = new ByteArrayInputStream(withBody);
            assertThat(ObjectHeader.read(in)).isEqualTo(h);
            assertThat(in.available()).isEqualTo(100); // read exactly the header
            ObjectCrypto.openForDecryption(p, key).close();
        }
    }

    @Test
    void largestEnvelope_growsTheHeader_withinMaxLength_andRewrapKeepsLengthWhenItFits() {
        KeyEnvelope big = new KeyEnvelope("p".repeat(64), "k".repeat(512), "w".repeat(64), new byte[1024]);
        ObjectHeader h = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, 4096, SALT, big);
        assertThat(h.length()).isGreaterThan(ObjectHeader.DEFAULT_LENGTH).isLessThanOrEqualTo(ObjectHeader.MAX_LENGTH);
        try (DataKey key = newKey()) {
            byte[] b = h.encode(key);
            assertThat(ObjectHeader.parse(b, 0, b.length)).isEqualTo(h);
            ObjectHeader small = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, 4096, SALT, FormatTestSupport.ENVELOPE);
            ObjectHeader rewrapped = small.withKeyEnvelope(new KeyEnvelope("kms", "another-cmk", "x", new byte[200]));
            assertThat(rewrapped.length()).isEqualTo(small.length());
            assertThat(small.withKeyEnvelope(big).length()).isEqualTo(h.length());
            // Re-wrap changes the MAC but not the salt: the segments stay valid.
            byte[] re = rewrapped.encode(key);
            ObjectCrypto.openForDecryption(ObjectHeader.parse(re, 0, re.length), key).close();
        }
    }

    @Test
    void create_rejectsBadSegmentSizesSaltsAndTheNoneProvider() {
        for (int s : new int[] {0, 2048, 4095, 3 << 12, 1 << 23}) {
            assertThatThrownBy(() -> ObjectHeader.create(ContentAlgorithm.AES_256_GCM, s, SALT, FormatTestSupport.ENVELOPE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ObjectHeader.create(ContentAlgorithm.AES_256_GCM, 4096, new byte[31],
                FormatTestSupport.ENVELOPE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectHeader.create(ContentAlgorithm.NONE, 4096, SALT, FormatTestSupport.ENVELOPE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectHeader.create(ContentAlgorithm.AES_256_GCM, 4096, SALT, KeyEnvelope.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_malformedInputs_failWithTheRightReason() {
        byte[] good;
        try (DataKey key = newKey()) {
            good = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, 4096).encode(key);
        }
        assertReason(() -> ObjectHeader.parse(new byte[] {'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0, 0}, 0, 12),
                Reason.MALFORMED_HEADER);
        assertReason(() -> ObjectHeader.parse(good, 0, 3), Reason.TRUNCATED);
        assertReason(() -> ObjectHeader.parse(good, 0, 11), Reason.TRUNCATED);
        assertReason(() -> ObjectHeader.parse(good, 0, good.length - 1), Reason.TRUNCATED);
        byte[] v2 = good.clone();
        v2[4] = 2;
        assertReason(() -> ObjectHeader.parse(v2, 0, v2.length), Reason.UNSUPPORTED_VERSION);
        byte[] alg = good.clone();
        alg[5] = 3;
        assertReason(() -> ObjectHeader.parse(alg, 0, alg.length), Reason.UNSUPPORTED_ALGORITHM);
        byte[] seg = good.clone();
        seg[6] = 23;
        assertReason(() -> ObjectHeader.parse(seg, 0, seg.length), Reason.MALFORMED_HEADER);
        byte[] flags = good.clone();
        flags[7] = 1;
        assertReason(() -> ObjectHeader.parse(flags, 0, flags.length), Reason.MALFORMED_HEADER);
        for (int len : new int[] {0, 127, 4097, Integer.MAX_VALUE, -1}) {
            byte[] l = good.clone();
            l[8] = (byte) (len >>> 24);
            l[9] = (byte) (len >>> 16);
            l[10] = (byte) (len >>> 8);
            l[11] = (byte) len;
            assertReason(() -> ObjectHeader.parse(l, 0, l.length), Reason.MALFORMED_HEADER);
        }
        byte[] pad = good.clone();
        pad[good.length - 40] = 1;
        assertReason(() -> ObjectHeader.parse(pad, 0, pad.length), Reason.MALFORMED_HEADER);
        byte[] longField = good.clone();
        longField[ObjectHeader.FIXED_LENGTH] = (byte) 200; // provider length > 64
        assertReason(() -> ObjectHeader.parse(longField, 0, longField.length), Reason.MALFORMED_HEADER);
        byte[] notUtf8 = good.clone();
        notUtf8[ObjectHeader.FIXED_LENGTH + 1] = (byte) 0xff;
        assertReason(() -> ObjectHeader.parse(notUtf8, 0, notUtf8.length), Reason.MALFORMED_HEADER);
        assertReason(() -> {
            try {
                ObjectHeader.read(new ByteArrayInputStream(good, 0, 500));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, Reason.TRUNCATED);
    }

    @Test
    void hasMagic_needsAllFourBytes() {
        byte[] m = ObjectHeader.magic();
        assertThat(m).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(ObjectHeader.hasMagic(m, 0, 4)).isTrue();
        assertThat(ObjectHeader.hasMagic(m, 0, 3)).isFalse();
        assertThat(ObjectHeader.hasMagic("hello".getBytes(), 0, 5)).isFalse();
        assertThat(ObjectHeader.hasMagic(new byte[] {0, (byte) 0x89, 'S', 'E', 'F'}, 1, 4)).isTrue();
    }

    @Test
    void storedIdentity_isEqualOnlyForByteIdenticalHeaders_andLeavesOutThePadding() {
        try (DataKey key = newKey()) {
            byte[] b = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, 4096).encode(key);
            byte[] id = ObjectHeader.parse(b, 0, b.length).storedIdentity();
            assertThat(ObjectHeader.parse(b.clone(), 0, b.length).storedIdentity()).isEqualTo(id);
            assertThat(id.length).isLessThan(b.length / 4);
            assertThat(Arrays.copyOfRange(id, id.length - 32, id.length)).isEqualTo(Arrays.copyOfRange(b, b.length - 32, b.length));
            // Every byte of the stored header either makes it unparseable or changes the identity.
            for (int i = 0; i < b.length; i++) {
                byte[] t = b.clone();
                t[i] ^= 0x01;
                ObjectHeader p;
                try {
                    p = ObjectHeader.parse(t, 0, t.length);
                } catch (FormatException e) {
                    continue;
                }
                assertThat(p.storedIdentity()).as("byte %d", i).isNotEqualTo(id);
            }
            assertThat(FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, 4096).storedIdentity()).isNull();
        }
    }

    @Test
    void toStrings_carryNoKeyBytes() {
        try (DataKey key = newKey()) {
            ObjectHeader h = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, 4096);
            ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, key);
            assertThat(d.toString()).contains("redacted");
            assertThat(h.toString()).doesNotContain(java.util.HexFormat.of().formatHex(h.salt()));
            d.close();
            assertThatThrownBy(() -> d.decryptingStream(ByteArrayInputStream.nullInputStream(), -1))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
