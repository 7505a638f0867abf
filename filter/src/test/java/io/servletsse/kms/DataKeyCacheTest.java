package io.servletsse.kms;

import io.servletsse.testing.MutableClock;
import static io.servletsse.kms.KeyTestSupport.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fewer backend calls: bucket keys on the encrypt side, unwrapped keys on the decrypt side. */
final class DataKeyCacheTest {
    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T00:00:00Z");
    private final byte[] root = new byte[32];
    private final List<CmkKeyManager> opened = new ArrayList<>();

    {
        new SecureRandom().nextBytes(root);
    }

    @AfterEach
    void close() {
        opened.forEach(CmkKeyManager::close);
    }

    private CmkKeyManager kms(DataKeyCacheOptions cache) {
        Path dir = data.resolve("kms");
        SecureRandom r = new SecureRandom();
        CmkKeyManager m = new CmkKeyManager(new LocalMaterialBackend(dir, RootKey.of(root), r, clock), new KeyRegistry(dir),
                cache, clock, r);
        opened.add(m);
        return m;
    }

    private static DataKeyCacheOptions cache(Duration maxAge, long maxUses, long maxBytes) {
        return new DataKeyCacheOptions(true, maxAge, maxUses, maxBytes, Duration.ofMinutes(5), 10_000);
    }

    @Test
    void thousandUploads_oneBucketAndKey_makeOneBackendCall_withCachingOn() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("photos").keyId();
        List<GeneratedDataKey> keys = new ArrayList<>();
        List<byte[]> salts = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            byte[] s = salt();
            salts.add(s);
            keys.add(kms.generateDataKey(cmk, s, "bucket-a", 1024));
        }

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(1);
        // Every object still has its own data key, and a fresh manager (empty caches) reads them all
        // with a single backend call (one bucket key).
        Set<String> distinct = new HashSet<>();
        keys.forEach(g -> distinct.add(java.util.HexFormat.of().formatHex(g.dataKey().reveal(io.servletsse.crypto.SecretAccess.grant()))));
        assertThat(distinct).hasSize(1000);
        assertThat(keys.get(0).envelope().wrapAlgorithm()).isEqualTo("kms/bucket-key/hkdf-sha256/v1");
        assertThat(keys.get(0).envelope().keyId()).isEqualTo(cmk);
        CmkKeyManager reader = kms(DataKeyCacheOptions.DEFAULTS);
        for (int i = 0; i < 1000; i++) {
            try (DataKey k = reader.decryptDataKey(keys.get(i).envelope(), salts.get(i))) {
                assertThat(k.sameKeyAs(keys.get(i).dataKey())).isTrue();
            }
        }
        assertThat(reader.stats().backendDecryptCalls()).isEqualTo(1);
        assertThat(reader.stats().decryptCacheHits()).isEqualTo(999);
    }

    @Test
    void thousandUploads_makeThousandBackendCalls_withCachingOff() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.OFF);
        String cmk = kms.createKey("photos").keyId();

        for (int i = 0; i < 1000; i++) {
            kms.generateDataKey(cmk, salt(), "bucket-a", 1024);
        }

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(1000);
    }

    @Test
    void partitionsAndKeys_neverShareABucketKey() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String k1 = kms.createKey("1").keyId();
        String k2 = kms.createKey("2").keyId();

        KeyEnvelope a = kms.generateDataKey(k1, salt(), "bucket-a", 1).envelope();
        KeyEnvelope b = kms.generateDataKey(k1, salt(), "bucket-b", 1).envelope();
        KeyEnvelope c = kms.generateDataKey(k2, salt(), "bucket-a", 1).envelope();
        kms.generateDataKey(k1, salt(), "bucket-a", 1);

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(3);
        assertThat(bucketSalt(a)).isNotEqualTo(bucketSalt(b)).isNotEqualTo(bucketSalt(c));
    }

    private static byte[] bucketSalt(KeyEnvelope e) {
        return java.util.Arrays.copyOfRange(e.wrapped(), 5, 37);
    }

    @Test
    void bucketKey_isRenewedAfterMaxAgeMaxUsesOrMaxBytes() {
        CmkKeyManager kms = kms(cache(Duration.ofMinutes(5), 3, 1000));
        String cmk = kms.createKey("x").keyId();

        for (int i = 0; i < 3; i++) {
            kms.generateDataKey(cmk, salt(), "b", 10);
        }
        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(1);
        kms.generateDataKey(cmk, salt(), "b", 10); // 4th use: new bucket key
        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(2);
        kms.generateDataKey(cmk, salt(), "b", 995); // 10 + 995 > 1000 bytes: new bucket key
        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(3);
        clock.advance(Duration.ofMinutes(5));
        kms.generateDataKey(cmk, salt(), "b", 1); // too old: new bucket key
        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(4);
    }

    @Test
    void unknownOrHugeSizes_areNeverServedFromTheCache() {
        CmkKeyManager kms = kms(cache(Duration.ofMinutes(5), 1000, 1000));
        String cmk = kms.createKey("x").keyId();
        byte[] salt = salt();

        GeneratedDataKey unknown = kms.generateDataKey(cmk, salt, "b", -1);
        kms.generateDataKey(cmk, salt(), "b", -1);
        kms.generateDataKey(cmk, salt(), "b", 1001);

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(3);
        assertThat(unknown.envelope().wrapAlgorithm()).isEqualTo(LocalMaterialBackend.WRAP);
        try (DataKey k = kms.decryptDataKey(unknown.envelope(), salt)) {
            assertThat(k.sameKeyAs(unknown.dataKey())).isTrue();
        }
    }

    @Test
    void rotation_startsANewBucketKey() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("x").keyId();
        kms.generateDataKey(cmk, salt(), "b", 1);
        kms.rotateKeyMaterial(cmk);

        KeyEnvelope e = kms.generateDataKey(cmk, salt(), "b", 1).envelope();

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(2);
        assertThat(java.nio.ByteBuffer.wrap(e.wrapped()).getInt(1)).isEqualTo(2);
    }

    @Test
    void decryptCache_hitMissAndTtl_followTheClock() {
        CmkKeyManager writer = kms(DataKeyCacheOptions.OFF);
        String cmk = writer.createKey("x").keyId();
        byte[] salt = salt();
        GeneratedDataKey g = writer.generateDataKey(cmk, salt);
        CmkKeyManager kms = kms(new DataKeyCacheOptions(true, Duration.ofMinutes(5), 100, 1000, Duration.ofSeconds(60), 10));

        kms.decryptDataKey(g.envelope(), salt).destroy();
        kms.decryptDataKey(g.envelope(), salt).destroy();
        assertThat(kms.stats()).isEqualTo(new KeyManagerStats(0, 1, 1, 1));
        clock.advance(Duration.ofSeconds(59));
        kms.decryptDataKey(g.envelope(), salt).destroy();
        assertThat(kms.stats().decryptCacheHits()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        try (DataKey k = kms.decryptDataKey(g.envelope(), salt)) {
            assertThat(k.sameKeyAs(g.dataKey())).isTrue();
        }
        assertThat(kms.stats()).isEqualTo(new KeyManagerStats(0, 2, 2, 2));
    }

    @Test
    void decryptCache_isBounded() {
        CmkKeyManager writer = kms(DataKeyCacheOptions.OFF);
        String cmk = writer.createKey("x").keyId();
        CmkKeyManager kms = kms(new DataKeyCacheOptions(true, Duration.ofMinutes(5), 100, 1000, Duration.ofMinutes(5), 3));

        for (int i = 0; i < 10; i++) {
            byte[] s = salt();
            kms.decryptDataKey(writer.generateDataKey(cmk, s).envelope(), s).destroy();
        }

        assertThat(kms.decryptCacheSize()).isEqualTo(3);
    }

    @Test
    void cachedKeys_neverBypassKeyState() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("x").keyId();
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(cmk, salt, "b", 10);
        kms.decryptDataKey(g.envelope(), salt).destroy(); // now cached on both sides

        kms.disableKey(cmk);

        assertThatThrownBy(() -> kms.generateDataKey(cmk, salt(), "b", 10))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("Rejected.Disabled"));
        assertThatThrownBy(() -> kms.decryptDataKey(g.envelope(), salt))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("Rejected.Disabled"));
        assertThat(kms.decryptCacheSize()).isZero(); // and the cached bytes are gone
    }

    @Test
    void keyDisabledByAnotherInstance_isRefusedEvenWhenCachedHere() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("x").keyId();
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(cmk, salt, "b", 10);
        kms.decryptDataKey(g.envelope(), salt).destroy();

        kms(DataKeyCacheOptions.DEFAULTS).disableKey(cmk);

        assertThatThrownBy(() -> kms.decryptDataKey(g.envelope(), salt))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("Rejected.Disabled"));
        assertThatThrownBy(() -> kms.generateDataKey(cmk, salt(), "b", 10)).isInstanceOf(SseException.class);
    }

    @Test
    void bucketKeyEnvelope_movedToAnotherObject_failsToUnwrap() {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("x").keyId();
        byte[] salt = salt();
        KeyEnvelope e = kms.generateDataKey(cmk, salt, "b", 10).envelope();

        assertThatThrownBy(() -> kms.decryptDataKey(e, salt()))
                .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
        byte[] w = e.wrapped();
        for (int i = 0; i < w.length; i++) {
            byte[] t = w.clone();
            t[i] ^= 1;
            KeyEnvelope bad = new KeyEnvelope(e.provider(), e.keyId(), e.wrapAlgorithm(), t);
            assertThatThrownBy(() -> kms.decryptDataKey(bad, salt)).as("byte " + i).isInstanceOf(SseException.class);
        }
    }

    @Test
    void concurrentUploadsToAColdEntry_makeOneBackendCall() throws Exception {
        CmkKeyManager kms = kms(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("x").keyId();
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50; i++) {
                        kms.generateDataKey(cmk, salt(), "b", 1);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : fs) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS); // guards against a hang only
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(1);
    }
}
