package io.servletsse.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the two GCM implementations the format relies on. Besides the published
 * vectors, the JDK's AES-GCM is cross-checked against BouncyCastle at many sizes, enough times for
 * the JIT to switch to the intrinsic stubs: JDK-8371864 was a stub that gave wrong output only for
 * some lengths, only once compiled.
 */
class GcmKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] jceAes(int mode, byte[] key, byte[] iv, byte[] aad, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        if (aad.length > 0) {
            c.updateAAD(aad);
        }
        byte[] out = new byte[c.getOutputSize(in.length)];
        int n = c.doFinal(in, 0, in.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private static byte[] bc(GCMModeCipher gcm, boolean enc, byte[] key, byte[] iv, byte[] aad, byte[] in)
            throws Exception {
        gcm.init(enc, new AEADParameters(new KeyParameter(key), 128, iv, aad));
        byte[] out = new byte[gcm.getOutputSize(in.length)];
        int n = gcm.processBytes(in, 0, in.length, out, 0);
        n += gcm.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    @Test
    void aes256Gcm_mcgrewViegaTestCase16_matchesOnSunJce() throws Exception {
        // GCM spec (McGrew & Viega) test case 16: 256-bit key, 60-byte plaintext, 20-byte AAD.
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] pt = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        String ct = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
        String tag = "76fc6ece0f4e1768cddf8853bb2d551b";
        assertThat(HEX.formatHex(jceAes(Cipher.ENCRYPT_MODE, key, iv, aad, pt))).isEqualTo(ct + tag);
        assertThat(jceAes(Cipher.DECRYPT_MODE, key, iv, aad, HEX.parseHex(ct + tag))).isEqualTo(pt);
    }

    @Test
    void aes256Gcm_mcgrewViegaTestCase14_zeroKey_matchesOnSunJce() throws Exception {
        byte[] out = jceAes(Cipher.ENCRYPT_MODE, new byte[32], new byte[12], new byte[0], new byte[16]);
        assertThat(HEX.formatHex(out)).isEqualTo("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
    }

    @Test
    void sm4Gcm_rfc8998Vector_matchesOnBouncyCastle() throws Exception {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] iv = HEX.parseHex("00001234567800000000abcd");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] pt = HEX.parseHex("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
                + "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa");
        String expected = "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
                + "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
                + "83de3541e4c2b58177e065a9bf7b62ec";
        GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        assertThat(HEX.formatHex(bc(gcm, true, key, iv, aad, pt))).isEqualTo(expected);
        assertThat(bc(gcm, false, key, iv, aad, HEX.parseHex(expected))).isEqualTo(pt);
    }

    @Test
    void segmentCipher_sm4_matchesBouncyCastleGcmWithStreamNonce() throws Exception {
        byte[] key = new byte[16];
        new Random(5).nextBytes(key);
        byte[] pt = new byte[1000];
        new Random(6).nextBytes(pt);
        try (SegmentCipher sc = SegmentCipher.create(ContentAlgorithm.SM4_GCM, key)) {
            byte[] out = new byte[pt.length + 16];
            sc.seal(7, true, pt, 0, pt.length, out, 0);
            byte[] ref = bc(GCMBlockCipher.newInstance(new SM4Engine()), true, key,
                    SegmentCipher.nonceFor(7, true), new byte[0], pt);
            assertThat(out).isEqualTo(ref);
            assertThat(HEX.formatHex(SegmentCipher.nonceFor(0x01020304L, true))).isEqualTo("00000000000000010203040" + "1");
        }
    }

    @Test
    void sunJceAesGcm_manySizesAfterWarmUp_agreesWithBouncyCastle() throws Exception {
        byte[] key = new byte[32];
        new Random(11).nextBytes(key);
        byte[] iv = SegmentCipher.nonceFor(3, false);
        int[] sizes = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257, 511, 512, 513, 767, 768, 769, 1023,
            1024, 1025, 4095, 4096, 4097, 7679, 7680, 7681, 8191, 8192, 8193, 16384 + 17, 65535, 65536, 65537,
            262144 + 5};
        byte[] data = new byte[sizes[sizes.length - 1]];
        new Random(12).nextBytes(data);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        byte[] out = new byte[data.length + 16];
        byte[] back = new byte[data.length];
        for (int size : sizes) {
            byte[] pt = Arrays.copyOf(data, size);
            byte[] expected = bc(GCMBlockCipher.newInstance(AESEngine.newInstance()), true, key, iv, new byte[0], pt);
            // Enough rounds of the same size for C2 to compile the loop with the intrinsics.
            int rounds = size <= 8192 ? 3000 : 60;
            for (int r = 0; r < rounds; r++) {
                byte[] nonce = SegmentCipher.nonceFor(r, false);
                c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
                int n = c.doFinal(data, 0, size, out, 0);
                assertThat(n).isEqualTo(size + 16);
                c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
                assertThat(c.doFinal(out, 0, n, back, 0)).isEqualTo(size);
            }
            // The warm path against the reference (the reference's nonce was last used many rounds ago).
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
            int n = c.doFinal(data, 0, size, out, 0);
            assertThat(Arrays.copyOf(out, n)).as("size %d", size).isEqualTo(expected);
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
            assertThat(c.doFinal(out, 0, n, back, 0)).isEqualTo(size);
            assertThat(Arrays.copyOf(back, size)).as("size %d", size).isEqualTo(pt);
        }
    }

    @Test
    void segmentCipher_wrongFlagOrIndex_failsAndZeroesOutput() throws Exception {
        for (ContentAlgorithm alg : new ContentAlgorithm[] {ContentAlgorithm.AES_256_GCM, ContentAlgorithm.SM4_GCM}) {
            byte[] key = new byte[alg.keyLength()];
            byte[] pt = new byte[100];
            Arrays.fill(pt, (byte) 0x5a);
            try (SegmentCipher sc = SegmentCipher.create(alg, key)) {
                byte[] ct = new byte[116];
                sc.seal(1, false, pt, 0, 100, ct, 0);
                byte[] out = new byte[100];
                assertThatThrownBy(() -> sc.open(1, true, ct, 0, 116, out, 0)).isInstanceOf(AEADBadTagException.class);
                assertThat(out).containsOnly(0);
                assertThatThrownBy(() -> sc.open(2, false, ct, 0, 116, out, 0)).isInstanceOf(AEADBadTagException.class);
                assertThat(out).containsOnly(0);
                assertThat(sc.open(1, false, ct, 0, 116, out, 0)).isEqualTo(100);
                assertThat(out).isEqualTo(pt);
                assertThat(sc.toString()).doesNotContain("0000");
            }
        }
    }
}
