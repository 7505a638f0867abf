package io.servletsse.engine;

import io.servletsse.format.ObjectCrypto;
import io.servletsse.kms.ReuseGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opened objects by their stored header's bytes, so that downloading the same object again
 * skips what opening it costs (unwrapping its data key, the header MAC, the content-key derivation,
 * a cipher: a tenth to a fifth of the CPU of a small download; docs/BENCHMARKS.md). The key is
 * {@link io.servletsse.format.ObjectHeader#storedIdentity()}: every header byte but the zero padding,
 * compared whole, so a header that differs in any byte is opened (and authenticated) afresh. Each entry holds the {@link ReuseGrant} its key source gave when it was
 * opened, and is served only while the source, asked again on this download, gives the same one: a
 * KMS object's CMK is checked (exists, Enabled, holds the version) on every download, and any change
 * to it drops the entry. Permission checks happen before the cache is asked, for every request.
 *
 * <p>Bounded ({@code maxEntries}) and timed (entries expire {@code ttl}, or their grant's shorter
 * {@code maxAge}, after they were opened, by the injected clock); an entry's content key is wiped
 * when it leaves. Callers get a {@link ObjectCrypto.Decryptor#duplicate() duplicate} they close
 * themselves.
 */
final class DownloadCache implements AutoCloseable {
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    // Lock-free reads: a synchronized access-ordered map was a convoy under 32 concurrent small
    // downloads on 2 cores (threads descheduled while holding its monitor; seen in jstack).
    private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();

    /** One opened object; its template is duplicated and closed under the entry's own lock, never both at once. */
    private static final class Entry {
        private final ObjectCrypto.Decryptor template;
        final SseInfo info;
        final ReuseGrant grant;
        final Instant expires;
        private boolean closed;

        Entry(ObjectCrypto.Decryptor template, SseInfo info, ReuseGrant grant, Instant expires) {
            this.template = template;
            this.info = info;
            this.grant = grant;
            this.expires = expires;
        }

        /** A duplicate, or null once closed. */
        synchronized ObjectCrypto.Decryptor duplicate() {
            return closed ? null : template.duplicate();
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                template.close();
            }
        }
    }

    /**
     * A stored header's identity with value equality (byte arrays compare by identity). Equality
     * compares every byte; the hash is the last four, which are the header MAC's (an HMAC: uniform,
     * and a crafted collision only shares a bin, bounded by {@code maxEntries}), so no lookup hashes
     * the whole header.
     */
    private record Key(byte[] identity) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(identity, k.identity);
        }

        @Override
        public int hashCode() {
            int n = identity.length;
            return n < 4 ? Arrays.hashCode(identity)
                    : (identity[n - 4] & 0xff) << 24 | (identity[n - 3] & 0xff) << 16 | (identity[n - 2] & 0xff) << 8
                            | identity[n - 1] & 0xff;
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

    /**
     * A duplicate of the cached decryptor for the header of {@code headerIdentity}, or null; an entry opened under
     * another grant than {@code now} (the key source's answer for this download) leaves the cache.
     */
    Hit get(byte[] headerIdentity, ReuseGrant now) {
        Key k = new Key(headerIdentity);
        Entry e = map.get(k);
        if (e == null) {
            return null;
        }
        if (!e.grant.sameAs(now) || !clock.instant().isBefore(e.expires)) {
            if (map.remove(k, e)) {
                e.close();
            }
            return null;
        }
        ObjectCrypto.Decryptor d = e.duplicate();
        if (d == null) {
            return null; // evicted while we looked
        }
        hits.increment();
        return new Hit(d, e.info);
    }

    /**
     * Keeps a duplicate of {@code opened} under {@code grant} (the caller keeps and closes its own),
     * until {@code ttl} or the grant's {@code maxAge}, whichever is shorter. When more than
     * {@code maxEntries} are held, expired entries leave first, then others (in no particular
     * order) until a sixteenth of the room is free again, so that a full cache does not scan on
     * every miss.
     */
    void put(byte[] headerIdentity, ObjectCrypto.Decryptor opened, SseInfo info, ReuseGrant grant) {
        if (!enabled()) {
            return;
        }
        Key key = new Key(headerIdentity);
        Instant now = clock.instant();
        Duration life = grant.maxAge().compareTo(ttl) < 0 ? grant.maxAge() : ttl;
        Entry old = map.put(key, new Entry(opened.duplicate(), info, grant, now.plus(life)));
        if (old != null) {
            old.close();
        }
        if (map.size() > maxEntries) {
            evict(key, now);
        }
    }

    private void evict(Key keep, Instant now) {
        int target = maxEntries - maxEntries / 16;
        for (Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            if (!now.isBefore(e.getValue().expires) && map.remove(e.getKey(), e.getValue())) {
                e.getValue().close();
            }
        }
        for (Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator(); it.hasNext() && map.size() > target; ) {
            Map.Entry<Key, Entry> e = it.next();
            if (!e.getKey().equals(keep) && map.remove(e.getKey(), e.getValue())) {
                e.getValue().close();
            }
        }
    }

    long hits() {
        return hits.sum();
    }

    /** Wipes every cached content key. */
    @Override
    public void close() {
        for (Key k : map.keySet()) {
            Entry e = map.remove(k);
            if (e != null) {
                e.close();
            }
        }
    }
}
