package io.servletsse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.error.SseException;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download cache as the filter uses it: {@link SseRuntime#openForServing}. */
final class DownloadCacheTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final byte[] plaintext = new byte[100_000];

    {
        new Random(7).nextBytes(plaintext);
    }

    private SseRuntime runtime(String keys) throws Exception {
        String json = "{\"paths\":{\"prefix\":\"/\"},\"buckets\":{\"aes\":{\"SSEAlgorithm\":\"AES256\"},"
                + "\"sm4\":{\"SSEAlgorithm\":\"SM4\"},\"kms\":{\"SSEAlgorithm\":\"KMS\"}}" + (keys == null ? "" : ",\"keys\":" + keys) + "}";
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(json), tmp.resolve("sse"));
        return SseRuntime.open(config, clock);
    }

    private byte[] store(SseRuntime rt, String bucket) throws Exception {
        SseRuntime.Upload up = rt.planUpload(rt.rules().effective(bucket), bucket, plaintext.length);
        try (InputStream in = ObjectCrypto.encryptingStream(up.header(), up.dataKey(), new ByteArrayInputStream(plaintext))) {
            return in.readAllBytes();
        } finally {
            up.dataKey().destroy();
        }
    }

    private static byte[] serve(SseRuntime rt, byte[] stored) throws Exception {
        ObjectHeader h = ObjectHeader.parse(stored, 0, stored.length);
        try (SseRuntime.Download d = rt.openForServing(h);
                InputStream in = d.decryptor().decryptingStream(
                        new ByteArrayInputStream(stored, h.length(), stored.length - h.length()), stored.length)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Test
    void aRepeatedDownload_isServedFromTheCache_withTheSamePlaintext() throws Exception {
        try (SseRuntime rt = runtime(null)) {
            for (String bucket : new String[] {"aes", "sm4"}) {
                byte[] stored = store(rt, bucket);
                long before = rt.downloadCacheHits();
                assertThat(serve(rt, stored)).isEqualTo(plaintext);
                assertThat(rt.downloadCacheHits()).isEqualTo(before);
                assertThat(serve(rt, stored)).isEqualTo(plaintext);
                assertThat(serve(rt, stored)).isEqualTo(plaintext);
                assertThat(rt.downloadCacheHits()).isEqualTo(before + 2);
            }
        }
    }

    @Test
    void aHeaderThatDiffersInAnyByte_isAuthenticatedAfresh_andFails() throws Exception {
        try (SseRuntime rt = runtime(null)) {
            byte[] stored = store(rt, "aes");
            serve(rt, stored); // now cached
            int headerLength = ObjectHeader.parse(stored, 0, stored.length).length();
            for (int at : new int[] {headerLength - 1, headerLength - ObjectHeader.MAC_LENGTH, 20}) { // MAC, MAC, salt
                byte[] tampered = stored.clone();
                tampered[at] ^= 1;
                assertThatThrownBy(() -> serve(rt, tampered)).isInstanceOf(SseException.class); // MAC or unwrap: never plaintext
            }
            assertThat(rt.downloadCacheHits()).isZero();
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
        }
    }

    @Test
    void anEntry_expiresAfterItsTtl() throws Exception {
        try (SseRuntime rt = runtime("{\"downloadCache\":{\"ttl\":\"PT1M\"}}")) {
            byte[] stored = store(rt, "aes");
            serve(rt, stored);
            clock.advance(Duration.ofSeconds(59));
            serve(rt, stored);
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            serve(rt, stored); // expired: opened afresh, and cached again
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
            serve(rt, stored);
            assertThat(rt.downloadCacheHits()).isEqualTo(2);
        }
    }

    @Test
    void aFullCache_makesRoomForTheNewest_andZeroEntriesTurnsItOff() throws Exception {
        try (SseRuntime rt = runtime("{\"downloadCache\":{\"maxEntries\":1}}")) {
            byte[] one = store(rt, "aes");
            byte[] two = store(rt, "aes");
            serve(rt, one);
            serve(rt, two);   // full: one leaves, two stays
            serve(rt, one);   // miss (and now two leaves)
            assertThat(rt.downloadCacheHits()).isZero();
            assertThat(serve(rt, one)).isEqualTo(plaintext); // hit
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
        }
        try (SseRuntime rt = runtime("{\"downloadCache\":{\"maxEntries\":0}}")) {
            byte[] stored = store(rt, "aes");
            serve(rt, stored);
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isZero();
        }
    }

    @Test
    void manyThreads_servingHotAndColdObjects_alwaysGetThePlaintext() throws Exception {
        try (SseRuntime rt = runtime("{\"downloadCache\":{\"maxEntries\":8}}")) {
            byte[][] objects = new byte[24][];
            for (int i = 0; i < objects.length; i++) {
                objects[i] = store(rt, i % 2 == 0 ? "aes" : "sm4");
            }
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < 60; i++) { // hot: objects 0-3; cold: the rest, evicting
                            byte[] stored = objects[i % 3 == 0 ? (i + id) % objects.length : (i + id) % 4];
                            if (!java.util.Arrays.equals(serve(rt, stored), plaintext)) {
                                throw new AssertionError("wrong plaintext");
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(rt.downloadCacheHits()).isPositive();
        }
    }

    private static String cmkOf(byte[] stored) {
        return ObjectHeader.parse(stored, 0, stored.length).keyEnvelope().keyId();
    }

    private static void assertRefused(SseRuntime rt, byte[] stored, String ossCode) {
        assertThatThrownBy(() -> serve(rt, stored)).isInstanceOf(SseException.class)
                .satisfies(e -> assertThat(((SseException) e).ossCode()).isEqualTo(ossCode));
    }

    @Test
    void kmsObjects_areCached_onlyWhileTheirCmkStaysAsItWas_checkedOnEveryDownload() throws Exception {
        try (SseRuntime rt = runtime("{\"kms\":{\"backend\":\"local\"}}")) {
            byte[] stored = store(rt, "kms");
            String cmk = cmkOf(stored);
            var admin = rt.keys().services().keyAdmin();
            serve(rt, stored);
            long backendDecrypts = rt.keys().services().keyManager().stats().backendDecryptCalls();
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(1);

            admin.disableKey(cmk); // cached, but its CMK is refused first
            assertRefused(rt, stored, "Rejected.Disabled");
            admin.enableKey(cmk); // a new key state: opened afresh (disabling wiped the KMS cache too), then cached again
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
            assertThat(rt.keys().services().keyManager().stats().backendDecryptCalls()).isEqualTo(backendDecrypts + 1);
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(2);

            admin.rotateKeyMaterial(cmk); // older versions keep decrypting; the entry is opened afresh
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(2);

            admin.scheduleKeyDeletion(cmk, 7);
            assertRefused(rt, stored, "Rejected.PendingDeletion");
            clock.advance(Duration.ofDays(7));
            assertRefused(rt, stored, "KeyNotFound"); // destroyed: the cached content key is no way around it
            assertThat(rt.downloadCacheHits()).isEqualTo(2);
        }
    }

    @Test
    void aCmkDisabledByAnotherNode_isRefusedHere_althoughThisNodeCachedTheObject() throws Exception {
        try (SseRuntime here = runtime("{\"kms\":{\"backend\":\"local\"}}");
                SseRuntime other = runtime("{\"kms\":{\"backend\":\"local\"}}")) {
            byte[] stored = store(here, "kms");
            serve(here, stored);
            assertThat(serve(here, stored)).isEqualTo(plaintext);
            assertThat(here.downloadCacheHits()).isEqualTo(1);
            other.keys().services().keyAdmin().disableKey(cmkOf(stored));
            assertRefused(here, stored, "Rejected.Disabled");
            other.keys().services().keyAdmin().enableKey(cmkOf(stored));
            assertThat(serve(here, stored)).isEqualTo(plaintext);
            assertThat(here.downloadCacheHits()).isEqualTo(1); // metadata re-read: opened afresh
        }
    }

    @Test
    void aKmsEntry_livesNoLongerThanTheKmsDecryptTtl_andNotAtAllWithKmsCachingOff() throws Exception {
        try (SseRuntime rt = runtime("{\"kms\":{\"backend\":\"local\",\"cache\":{\"decryptTtl\":\"PT1M\"}},"
                + "\"downloadCache\":{\"ttl\":\"PT5M\"}}")) {
            byte[] stored = store(rt, "kms");
            serve(rt, stored);
            clock.advance(Duration.ofSeconds(59));
            serve(rt, stored);
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(1);
        }
        try (SseRuntime rt = runtime("{\"kms\":{\"backend\":\"local\",\"cache\":{\"enabled\":false}}}")) {
            byte[] stored = store(rt, "kms");
            serve(rt, stored);
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isZero();
            assertThat(rt.keys().services().keyManager().stats().backendDecryptCalls()).isEqualTo(2);
        }
    }

    @Test
    void closingOneDownload_leavesTheCachedObjectWorking() throws Exception {
        try (SseRuntime rt = runtime(null)) {
            byte[] stored = store(rt, "aes");
            ObjectHeader h = ObjectHeader.parse(stored, 0, stored.length);
            rt.openForServing(h).close();
            rt.openForServing(h).close(); // a hit, closed: wipes only its own copy
            assertThat(serve(rt, stored)).isEqualTo(plaintext);
            assertThat(rt.downloadCacheHits()).isEqualTo(2);
        }
    }

    @Test
    void badSettings_areConfigurationErrors() {
        for (String bad : new String[] {"{\"downloadCache\":{\"maxEntries\":-1}}", "{\"downloadCache\":{\"ttl\":\"PT25H\"}}",
                "{\"downloadCache\":{\"size\":3}}", "{\"downloadCache\":{\"ttl\":\"soon\"}}"}) {
            assertThatThrownBy(() -> runtime(bad).close()).as(bad).isInstanceOf(ConfigException.class);
        }
    }
}
