package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Prints the test vectors of docs/FORMAT.md (and of format-vectors.txt). Run once by hand; the
 * vectors are fixed by their fixed inputs, and FormatVectorsTest checks both directions.
 */
final class VectorGenerator {
    static final HexFormat HEX = HexFormat.of();

    static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    public static void main(String[] args) {
        KeyEnvelope env = new KeyEnvelope("sse-oss", "AES256@1", "example-wrap", seq(0xe0, 24));
        byte[] dek = seq(0x00, 32);
        byte[] salt = seq(0xa0, 32);
        vector("1", ContentAlgorithm.AES_256_GCM, env, dek, salt, new byte[0]);
        byte[] p2 = new byte[4097];
        for (int i = 0; i < p2.length; i++) {
            p2[i] = (byte) i;
        }
        vector("2", ContentAlgorithm.AES_256_GCM, env, dek, salt, p2);
        vector("3", ContentAlgorithm.SM4_GCM, new KeyEnvelope("kms", "cmk-0001", "example-wrap", seq(0xe0, 24)), dek,
                salt, "SEF1 test vector 3: SM4-GCM".getBytes(StandardCharsets.US_ASCII));
        byte[] p4 = "\u0089SEF plain".getBytes(StandardCharsets.ISO_8859_1);
        ObjectHeader plain = ObjectHeader.plainEnvelope();
        System.out.println("name: 4");
        System.out.println("algorithm: NONE");
        System.out.println("plaintext: " + HEX.formatHex(p4));
        System.out.println("ciphertext: " + HEX.formatHex(FormatTestSupport.encrypt(plain, null, p4)));
        System.out.println();
    }

    static void vector(String name, ContentAlgorithm alg, KeyEnvelope env, byte[] dek, byte[] salt, byte[] pt) {
        ObjectHeader h = ObjectHeader.create(alg, 4096, salt, env, 256);
        DataKey key = DataKey.copyOf(dek);
        System.out.println("name: " + name);
        System.out.println("algorithm: " + alg);
        System.out.println("segment_size: 4096");
        System.out.println("header_length: " + h.length());
        System.out.println("dek: " + HEX.formatHex(dek));
        System.out.println("salt: " + HEX.formatHex(salt));
        System.out.println("provider: " + env.provider());
        System.out.println("key_id: " + env.keyId());
        System.out.println("wrap_algorithm: " + env.wrapAlgorithm());
        System.out.println("wrapped: " + HEX.formatHex(env.wrapped()));
        System.out.println("content_key: " + HEX.formatHex(ObjectKeys.contentKey(key, salt, alg, 12)));
        System.out.println("header_mac_key: " + HEX.formatHex(ObjectKeys.headerMacKey(key, salt)));
        System.out.println("plaintext: " + HEX.formatHex(pt));
        System.out.println("ciphertext: " + HEX.formatHex(FormatTestSupport.encrypt(h, key, pt)));
        System.out.println();
    }
}
