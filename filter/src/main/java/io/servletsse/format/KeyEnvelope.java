package io.servletsse.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where an object's data key came from and the key itself, wrapped: recorded in the object header
 * so that any node can unwrap it.
 *
 * @param provider     who wrapped it: {@code sse-oss} (service master key), {@code kms} (built-in
 *                     KMS), {@code pkcs11} (HSM); at most {@link #MAX_PROVIDER} UTF-8 bytes
 * @param keyId        the wrapping key: CMK id, or master key name@version; at most {@link #MAX_KEY_ID}
 *                     UTF-8 bytes
 * @param wrapAlgorithm explicit wrap-algorithm tag (never inferred from provider names); at most
 *                     {@link #MAX_WRAP_ALGORITHM} UTF-8 bytes
 * @param wrapped      the opaque wrapped data key; at most {@link #MAX_WRAPPED} bytes
 */
public record KeyEnvelope(String provider, String keyId, String wrapAlgorithm, byte[] wrapped) {
    public static final int MAX_PROVIDER = 64;
    public static final int MAX_KEY_ID = 512;
    public static final int MAX_WRAP_ALGORITHM = 64;
    public static final int MAX_WRAPPED = 1024;

    /** The envelope of the plain (unencrypted) escape object: no key at all. */
    public static final KeyEnvelope NONE = new KeyEnvelope("none", "", "none", new byte[0]);

    public KeyEnvelope {
        checkText("provider", provider, MAX_PROVIDER);
        checkText("keyId", keyId, MAX_KEY_ID);
        checkText("wrapAlgorithm", wrapAlgorithm, MAX_WRAP_ALGORITHM);
        Objects.requireNonNull(wrapped, "wrapped");
        if (wrapped.length > MAX_WRAPPED) {
            throw new IllegalArgumentException("wrapped key longer than " + MAX_WRAPPED + " bytes");
        }
        wrapped = wrapped.clone();
    }

    private static void checkText(String name, String value, int max) {
        Objects.requireNonNull(value, name);
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
            throw new IllegalArgumentException(name + " longer than " + max + " bytes");
        }
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEnvelope k
                && provider.equals(k.provider)
                && keyId.equals(k.keyId)
                && wrapAlgorithm.equals(k.wrapAlgorithm)
                && Arrays.equals(wrapped, k.wrapped);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, keyId, wrapAlgorithm, Arrays.hashCode(wrapped));
    }

    @Override
    public String toString() {
        // The wrapped key is not secret, but it is noise in logs; its length is enough.
        return "KeyEnvelope[provider=" + provider + ", keyId=" + keyId + ", wrap=" + wrapAlgorithm
                + ", wrapped=" + wrapped.length + " bytes]";
    }
}
