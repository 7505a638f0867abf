package io.servletsse.kms;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869), used to derive one-time key-encryption keys from master keys. Small on
 * purpose: the key package should not depend on the format package, which has its own HKDF.
 */
final class Hkdf {
    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /** {@code HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}; the caller wipes the result. */
    static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length <= 0 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("bad HKDF output length: " + length);
        }
        byte[] prk = null;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // RFC 5869 2.2: an absent salt is HashLen zero bytes.
            byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt;
            mac.init(new SecretKeySpec(s, "HmacSHA256"));
            prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                Arrays.fill(t, (byte) 0);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
        }
    }
}
