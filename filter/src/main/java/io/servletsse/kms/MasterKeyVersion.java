package io.servletsse.kms;

import java.time.Instant;
import java.util.Arrays;

/** One version of a service master key held in memory. Package-private: the bytes never leave kms. */
final class MasterKeyVersion {
    final int version;
    final Instant created;
    private final byte[] key;

    MasterKeyVersion(int version, Instant created, byte[] key) {
        this.version = version;
        this.created = created;
        this.key = key;
    }

    byte[] key() {
        return key;
    }

    void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "MasterKeyVersion[v" + version + ", created " + created + ", key redacted]";
    }
}
