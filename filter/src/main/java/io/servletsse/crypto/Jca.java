package io.servletsse.crypto;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * {@link Cipher} and {@link Mac} instances from the JDK's SunJCE provider, held as a {@link Provider}
 * object. Asking by name alone makes the JCA walk the provider list on every {@code getInstance} and,
 * for Cipher and Mac, again on every {@code init} (delayed provider selection): per request that was
 * several µs of a small download (docs/BENCHMARKS.md, "What profiling found"). Pinning SunJCE also
 * keeps a globally registered BouncyCastle (about 80x slower for AES-GCM) off the data path. Where a
 * JRE has no SunJCE, the provider list is used as before.
 */
public final class Jca {
    private static final Provider SUN_JCE = Security.getProvider("SunJCE");

    private Jca() {}

    /** A new {@code AES/GCM/NoPadding} cipher. */
    public static Cipher aesGcm() {
        try {
            return SUN_JCE != null ? Cipher.getInstance("AES/GCM/NoPadding", SUN_JCE) : Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable", e);
        }
    }

    /** A new, uninitialised MAC, e.g. {@code HmacSHA256}. */
    public static Mac mac(String algorithm) {
        if (SUN_JCE != null) {
            try {
                return Mac.getInstance(algorithm, SUN_JCE);
            } catch (NoSuchAlgorithmException notInSunJce) {
                // another provider's MAC: the provider list below
            }
        }
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
