package io.servletsse.kms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decrypt-side cache: unwrapped key bytes by a digest of everything that produced them (CMK, wrap
 * algorithm, wrapped bytes, context), so a different object or a tampered envelope can never hit another
 * entry. Bounded (LRU), entries expire after a TTL read from the injected clock, and bytes are zeroised
 * when an entry leaves. Callers get copies.
 */
final class UnwrappedKeyCache {
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(16, 0.75f, true);

    private record Entry(String keyId, byte[] bytes, Instant expires) {}

    UnwrappedKeyCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    /** A copy of the cached bytes, or {@code null}. */
    synchronized byte[] get(String digest) {
        Entry e = map.get(digest);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.expires())) {
            map.remove(digest);
            Arrays.fill(e.bytes(), (byte) 0);
            return null;
        }
        return e.bytes().clone();
    }

    /** Caches a copy of {@code bytes}. */
    synchronized void put(String digest, String keyId, byte[] bytes) {
        if (maxEntries == 0) {
            return;
        }
        Entry old = map.put(digest, new Entry(keyId, bytes.clone(), clock.instant().plus(ttl)));
        if (old != null) {
            Arrays.fill(old.bytes(), (byte) 0);
        }
        Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
        while (map.size() > maxEntries && it.hasNext()) {
            Arrays.fill(it.next().getValue().bytes(), (byte) 0);
            it.remove();
        }
    }

    /** Drops (and wipes) every entry of a CMK: on disable, deletion, destruction. */
    synchronized void invalidateKey(String keyId) {
        map.values().removeIf(e -> {
            if (e.keyId().equals(keyId)) {
                Arrays.fill(e.bytes(), (byte) 0);
                return true;
            }
            return false;
        });
    }

    synchronized int size() {
        return map.size();
    }

    synchronized void clear() {
        map.values().forEach(e -> Arrays.fill(e.bytes(), (byte) 0));
        map.clear();
    }
}
