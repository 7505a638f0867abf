package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.Hkdf;
import io.servletsse.crypto.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key schedule of FORMAT.md section "Keys": {@code PRK = HKDF-Extract(salt, DEK)}, content key
 * {@code HKDF-Expand(PRK, "SEF1 content" || alg_id || seg_log2, L)}, header-MAC key
 * {@code HKDF-Expand(PRK, "SEF1 header-mac", 32)}. Callers wipe the returned arrays.
 */
final class ObjectKeys {
    static final byte[] CONTENT_LABEL = "SEF1 content".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HEADER_MAC_LABEL = "SEF1 header-mac".getBytes(StandardCharsets.US_ASCII);

    private ObjectKeys() {}

    static byte[] contentKey(DataKey dataKey, byte[] salt, ContentAlgorithm algorithm, int segLog2) {
        byte[] info = Arrays.copyOf(CONTENT_LABEL, CONTENT_LABEL.length + 2);
        info[CONTENT_LABEL.length] = (byte) algorithm.id();
        info[CONTENT_LABEL.length + 1] = (byte) segLog2;
        return Hkdf.derive(salt, dataKey.reveal(SecretAccess.grant()), info, algorithm.keyLength());
    }

    static byte[] headerMacKey(DataKey dataKey, byte[] salt) {
        return Hkdf.derive(salt, dataKey.reveal(SecretAccess.grant()), HEADER_MAC_LABEL, 32);
    }
}
