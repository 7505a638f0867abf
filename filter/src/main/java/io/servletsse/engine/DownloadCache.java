package io.servletsse.engine;

import io.servletsse.format.ObjectCrypto;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Opened SSE-OSS objects by the SHA-256 of their stored header, so that downloading the same
 * object again skips what opening it costs (unwrapping its data key under the service master key,
 * the header MAC, the content-key derivation: about a tenth of the CPU of a small download;
 * docs/BENCHMARKS.md). The key covers every header byte, MAC and padding included, so a header that
 * differs in any byte is opened (and authenticated) afresh. Only service-master-key objects are
 * kept: their keys are never disabled, while a KMS object must meet its CMK's state check on every
 * download (the KMS key manager has its own cache behind that check). Permission checks happen
 * before the cache is asked, for every request.
 *
 * <p>Bounded (LRU) and timed (entries expire {@code ttl} after they were opened, by the injected
 * clock); an entry's content key is wiped when it leaves. Callers get a {@link
 * ObjectCrypto.Decryptor#duplicate() duplicate} they close themselves.
 */
final class DownloadCache implements AutoCloseable {
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> map = new LinkedHashMap<>(64, 0.75f, true);
    private long hits;

    private record Entry(ObjectCrypto.Decryptor template, SseInfo info, Instant expires) {}

    /** A header digest with value equality (byte arrays compare by identity). */
    private record Key(byte[] digest) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }
    }

    /** An opened object from the cache: a decryptor of its own and what the response headers say. */
    record Hit(ObjectCrypto.Decryptor decryptor, SseInfo info) {}

    DownloadCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries and ttl must not be negative");
        }
        this.maxEntries = maxEntries;
    }

    boolean enabled() {
        return maxEntries > 0 && !ttl.isZero();
    }

    /** A duplicate of the cached decryptor for {@code headerDigest}, or null. */
    synchronized Hit get(byte[] headerDigest) {
        Key k = new Key(headerDigest);
        Entry e = map.get(k);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.expires())) {
            map.remove(k);
            e.template().close();
            return null;
        }
        hits++;
        return new Hit(e.template().duplicate(), e.info());
    }

    /** Keeps a duplicate of {@code opened} (the caller keeps and closes its own). */
    synchronized void put(byte[] headerDigest, ObjectCrypto.Decryptor opened, SseInfo info) {
        if (!enabled()) {
            return;
        }
        Entry old = map.put(new Key(headerDigest), new Entry(opened.duplicate(), info, clock.instant().plus(ttl)));
        if (old != null) {
            old.template().close();
        }
        Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator();
        while (map.size() > maxEntries && it.hasNext()) {
            it.next().getValue().template().close();
            it.remove();
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized int size() {
        return map.size();
    }

    /** Wipes every cached content key. */
    @Override
    public synchronized void close() {
        map.values().forEach(e -> e.template().close());
        map.clear();
    }
}
