package io.servletsse.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A per-object data key (DEK): 32 random bytes. The bytes are reachable only through
 * {@link #reveal(SecretAccess)}; {@link #toString()} is redacted; {@link #destroy()} wipes them.
 */
public final class DataKey implements AutoCloseable {
    /** Length of every data key, whatever the content algorithm (the content key is derived, see FORMAT.md). */
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private volatile boolean destroyed;

    private DataKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random key. */
    public static DataKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new DataKey(b);
    }

    /** Copies {@code bytes}; the caller should wipe its own copy. */
    public static DataKey copyOf(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("data key must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new DataKey(bytes.clone());
    }

    /**
     * The key bytes themselves (not a copy: do not modify, do not keep). Throws once destroyed.
     */
    public byte[] reveal(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        if (destroyed) {
            throw new IllegalStateException("data key destroyed");
        }
        return bytes;
    }

    /** A copy that survives {@link #destroy()} of this one. */
    public DataKey copy() {
        return copyOf(reveal(SecretAccess.grant()));
    }

    /** Constant-time equality of the key bytes. */
    public boolean sameKeyAs(DataKey other) {
        return MessageDigest.isEqual(reveal(SecretAccess.grant()), other.reveal(SecretAccess.grant()));
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the key bytes with zeros. Idempotent. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "DataKey[redacted]";
    }
}
