package io.servletsse.kms;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Encrypt-side cache of bucket keys by (partition, CMK, material version); see
 * {@link DataKeyCacheOptions}. Each use reserves one object and its bytes under the entry's lock and
 * derives the object's key under that same lock, so an entry is never wiped while a derivation reads
 * it. Loads (backend calls) for one id are serialised by a striped lock, so a burst of uploads to a cold
 * entry makes one backend call, not one per thread.
 */
final class BucketKeyCache {
    static final int MAX_ENTRIES = 10_000;

    record Id(String partition, String keyId, int version) {}

    /** A bucket key: its bytes (secret), its salt and wrapped form (for envelopes), and its budget. */
    static final class Entry {
        final byte[] key;
        final byte[] salt;
        final byte[] wrapped;
        final Instant created;
        private long uses;
        private long bytes;
        private boolean retired;

        Entry(byte[] key, byte[] salt, byte[] wrapped, Instant created) {
            this.key = key;
            this.salt = salt;
            this.wrapped = wrapped;
            this.created = created;
        }

        @Override
        public String toString() {
            return "BucketKey[redacted, created " + created + ", uses " + uses + "]";
        }
    }

    private final Clock clock;
    private final DataKeyCacheOptions options;
    private final Map<Id, Entry> map = new ConcurrentHashMap<>();
    private final Object[] loadLocks = new Object[64];

    BucketKeyCache(Clock clock, DataKeyCacheOptions options) {
        this.clock = clock;
        this.options = options;
        for (int i = 0; i < loadLocks.length; i++) {
            loadLocks[i] = new Object();
        }
    }

    /**
     * Reserves one object of {@code size} bytes ({@code 0 <= size <= maxBytes}) on the entry for
     * {@code id}, loading a new entry with {@code loader} when there is none usable, and returns
     * {@code derive} applied to it (under the entry's lock).
     */
    <T> T use(Id id, long size, Supplier<Entry> loader, Function<Entry, T> derive) {
        while (true) {
            Entry e = map.get(id);
            if (e != null) {
                synchronized (e) {
                    if (!e.retired && usable(e, size)) {
                        e.uses++;
                        e.bytes += size;
                        return derive.apply(e);
                    }
                    retire(e);
                    map.remove(id, e);
                }
            }
            synchronized (loadLocks[Math.floorMod(id.hashCode(), loadLocks.length)]) {
                Entry current = map.get(id);
                if (current == null || current == e) {
                    Entry fresh = loader.get();
                    map.put(id, fresh);
                    sweep();
                }
            }
        }
    }

    private boolean usable(Entry e, long size) {
        return clock.instant().isBefore(e.created.plus(options.maxAge()))
                && e.uses < options.maxUses()
                && e.bytes + size <= options.maxBytes();
    }

    /** Must hold the entry's lock. */
    private static void retire(Entry e) {
        e.retired = true;
        Arrays.fill(e.key, (byte) 0);
    }

    private void sweep() {
        if (map.size() <= MAX_ENTRIES) {
            return;
        }
        for (Map.Entry<Id, Entry> me : map.entrySet()) {
            Entry e = me.getValue();
            synchronized (e) {
                if (e.retired || !usable(e, 0) || map.size() > MAX_ENTRIES) {
                    retire(e);
                    map.remove(me.getKey(), e);
                }
            }
            if (map.size() <= MAX_ENTRIES / 2) {
                return;
            }
        }
    }

    /** Retires every entry of a CMK (state change, destruction). */
    void invalidateKey(String keyId) {
        map.forEach((id, e) -> {
            if (id.keyId().equals(keyId)) {
                synchronized (e) {
                    retire(e);
                    map.remove(id, e);
                }
            }
        });
    }

    void clear() {
        map.forEach((id, e) -> {
            synchronized (e) {
                retire(e);
            }
        });
        map.clear();
    }
}
