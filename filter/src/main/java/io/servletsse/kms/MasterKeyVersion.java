package io.servletsse.kms;

import java.time.Instant;
import java.util.Arrays;

/** One version of a master key or CMK material held in memory. Package-private: the bytes never leave kms. */
final class MasterKeyVersion {
    final int version;
    final Instant created;
    private final byte[] key;
    private volatile boolean destroyed;

    MasterKeyVersion(int version, Instant created, byte[] key) {
        this.version = version;
        this.created = created;
        this.key = key;
    }

    byte[] key() {
        return key;
    }

    /**
     * Sets the flag first, then wipes: a user that derives from {@link #key()} and then sees
     * {@link #isDestroyed()} false knows the bytes it read were intact.
     */
    void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "MasterKeyVersion[v" + version + ", created " + created + ", key redacted]";
    }
}
