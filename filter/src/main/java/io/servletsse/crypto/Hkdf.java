package io.servletsse.crypto;

import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869). JDK 17 has no HKDF ({@code javax.crypto.KDF} arrived in JDK 25), so this is
 * the RFC's two steps over {@code HmacSHA256}. Callers wipe what they get back.
 */
public final class Hkdf {
    /** Output length of SHA-256, the length of a PRK. */
    public static final int HASH_LENGTH = 32;
    private static final int MAX_OUTPUT = 255 * HASH_LENGTH;

    private Hkdf() {}

    /** HKDF-Extract: {@code PRK = HMAC-SHA256(salt, ikm)}. An empty salt means HashLen zero bytes (RFC 5869 2.2). */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        Objects.requireNonNull(ikm, "ikm");
        byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac mac = hmac(s);
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand: {@code length} bytes of OKM from {@code prk} and {@code info}; at most 255*32 bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        Objects.requireNonNull(prk, "prk");
        if (prk.length < HASH_LENGTH) {
            throw new IllegalArgumentException("PRK shorter than " + HASH_LENGTH + " bytes");
        }
        if (length < 0 || length > MAX_OUTPUT) {
            throw new IllegalArgumentException("HKDF output length out of range: " + length);
        }
        byte[] inf = info == null ? new byte[0] : info;
        Mac mac = hmac(prk);
        byte[] okm = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(t);
            mac.update(inf);
            mac.update((byte) i);
            byte[] next = mac.doFinal();
            Arrays.fill(t, (byte) 0);
            t = next;
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, okm, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return okm;
    }

    /** Extract then expand; the intermediate PRK is wiped. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = extract(salt, ikm);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmacSha256(byte[] key, byte[] data, int off, int len) {
        Mac mac = hmac(key);
        mac.update(data, off, len);
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Jca.mac("HmacSHA256");
            // SecretKeySpec copies the key; the copy lives as long as this short-lived Mac.
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("invalid HMAC key", e);
        }
    }
}
