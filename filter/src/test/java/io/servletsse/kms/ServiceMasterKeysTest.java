package io.servletsse.kms;

import io.servletsse.testing.MutableClock;
import static io.servletsse.kms.KeyTestSupport.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SecretAccess;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ServiceMasterKeysTest {
    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final byte[] rootBytes = new byte[32];
    private final List<ServiceMasterKeys> opened = new ArrayList<>();

    @BeforeEach
    void rootKey() {
        new SecureRandom().nextBytes(rootBytes);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(ServiceMasterKeys::close);
    }

    private ServiceMasterKeys open(Duration period) {
        return open(period, RootKey.of(rootBytes));
    }

    private ServiceMasterKeys open(Duration period, RootKey root) {
        ServiceMasterKeys k = ServiceMasterKeys.open(data.resolve("sse-oss"), root, period, clock, new SecureRandom());
        opened.add(k);
        return k;
    }

    private static byte[] bytes(DataKey k) {
        return k.reveal(SecretAccess.grant()).clone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES256", "SM4"})
    void generateThenDecrypt_returnsTheSameDataKey(String alg) {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();

        GeneratedDataKey g = keys.generateDataKey(alg, salt);

        KeyEnvelope e = g.envelope();
        assertThat(e.provider()).isEqualTo("sse-oss");
        assertThat(e.keyId()).isEqualTo(alg + "@v1");
        assertThat(e.wrapAlgorithm()).isEqualTo(alg.equals("SM4") ? ServiceMasterKeys.WRAP_SM4 : ServiceMasterKeys.WRAP_AES);
        assertThat(e.wrapped()).hasSize(48).isNotEqualTo(bytes(g.dataKey()));
        try (DataKey back = keys.decryptDataKey(e, salt)) {
            assertThat(back.sameKeyAs(g.dataKey())).isTrue();
        }
    }

    @Test
    void twoUploads_getDifferentDataKeys() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        GeneratedDataKey a = keys.generateDataKey("AES256", salt());
        GeneratedDataKey b = keys.generateDataKey("AES256", salt());
        assertThat(a.dataKey().sameKeyAs(b.dataKey())).isFalse();
    }

    @Test
    void algorithmsHaveSeparateRings() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();
        GeneratedDataKey aes = keys.generateDataKey("AES256", salt);
        KeyEnvelope asSm4 = new KeyEnvelope("sse-oss", "SM4@v1", ServiceMasterKeys.WRAP_SM4, aes.envelope().wrapped());
        keys.generateDataKey("SM4", salt());

        assertThatThrownBy(() -> keys.decryptDataKey(asSm4, salt)).isInstanceOf(SseException.class);
    }

    @Test
    void rotationPeriodElapsed_newObjectsUseNewestVersion_oldEnvelopesStillDecrypt() {
        ServiceMasterKeys keys = open(Duration.ofDays(90));
        byte[] s1 = salt();
        GeneratedDataKey first = keys.generateDataKey("AES256", s1);

        clock.advance(Duration.ofDays(89));
        assertThat(keys.generateDataKey("AES256", salt()).envelope().keyId()).isEqualTo("AES256@v1");
        clock.advance(Duration.ofDays(1));
        byte[] s2 = salt();
        GeneratedDataKey second = keys.generateDataKey("AES256", s2);
        clock.advance(Duration.ofDays(90));
        GeneratedDataKey third = keys.generateDataKey("AES256", salt());

        assertThat(second.envelope().keyId()).isEqualTo("AES256@v2");
        assertThat(third.envelope().keyId()).isEqualTo("AES256@v3");
        try (DataKey k1 = keys.decryptDataKey(first.envelope(), s1); DataKey k2 = keys.decryptDataKey(second.envelope(), s2)) {
            assertThat(k1.sameKeyAs(first.dataKey())).isTrue();
            assertThat(k2.sameKeyAs(second.dataKey())).isTrue();
        }
        assertThat(keys.versions("AES256")).containsExactly(
                new ServiceMasterKeys.VersionInfo("AES256@v1", java.time.Instant.parse("2026-01-01T00:00:00Z")),
                new ServiceMasterKeys.VersionInfo("AES256@v2", java.time.Instant.parse("2026-04-01T00:00:00Z")),
                new ServiceMasterKeys.VersionInfo("AES256@v3", java.time.Instant.parse("2026-06-30T00:00:00Z")));
    }

    @Test
    void zeroRotationPeriod_neverRotatesAutomatically() {
        ServiceMasterKeys keys = open(Duration.ZERO);
        keys.generateDataKey("AES256", salt());
        clock.advance(Duration.ofDays(3650));
        assertThat(keys.generateDataKey("AES256", salt()).envelope().keyId()).isEqualTo("AES256@v1");
    }

    @Test
    void rotateOnDemand_newKeysUseNewVersion_andOtherRingUntouched() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();
        GeneratedDataKey before = keys.generateDataKey("SM4", salt);
        keys.generateDataKey("AES256", salt());

        assertThat(keys.rotate("SM4")).isEqualTo("SM4@v2");

        assertThat(keys.generateDataKey("SM4", salt()).envelope().keyId()).isEqualTo("SM4@v2");
        assertThat(keys.currentKeyId("AES256")).isEqualTo("AES256@v1");
        try (DataKey k = keys.decryptDataKey(before.envelope(), salt)) {
            assertThat(k.sameKeyAs(before.dataKey())).isTrue();
        }
    }

    @Test
    void reopenedStore_decryptsEnvelopesOfEveryVersion() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] s1 = salt();
        byte[] s2 = salt();
        GeneratedDataKey v1 = keys.generateDataKey("AES256", s1);
        keys.rotate("AES256");
        GeneratedDataKey v2 = keys.generateDataKey("AES256", s2);
        keys.close();

        ServiceMasterKeys reopened = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);

        try (DataKey k1 = reopened.decryptDataKey(v1.envelope(), s1); DataKey k2 = reopened.decryptDataKey(v2.envelope(), s2)) {
            assertThat(k1.sameKeyAs(v1.dataKey())).isTrue();
            assertThat(k2.sameKeyAs(v2.dataKey())).isTrue();
        }
        assertThat(reopened.currentKeyId("AES256")).isEqualTo("AES256@v2");
    }

    @Test
    void keyFiles_areOwnerOnly_inOwnerOnlyDirectories() throws Exception {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        keys.generateDataKey("AES256", salt());
        keys.generateDataKey("SM4", salt());

        List<Path> files = KeyTestSupport.regularFiles(data);
        assertThat(files).extracting(p -> data.relativize(p).toString())
                .containsExactlyInAnyOrder("sse-oss/AES256/v1.key", "sse-oss/SM4/v1.key");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        for (Path d : List.of(data.resolve("sse-oss"), data.resolve("sse-oss/AES256"), data.resolve("sse-oss/SM4"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void keyFiles_holdNeitherMasterKeyNorRootKeyNorDataKeyInClear() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        GeneratedDataKey g = keys.generateDataKey("AES256", salt());
        byte[] master = keys.loadedVersion("AES256", 1).key().clone();

        List<Path> files = KeyTestSupport.regularFiles(data);
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(KeyTestSupport.fileContains(f, master)).as("master key in " + f).isFalse();
            assertThat(KeyTestSupport.fileContains(f, rootBytes)).as("root key in " + f).isFalse();
            assertThat(KeyTestSupport.fileContains(f, bytes(g.dataKey()))).as("data key in " + f).isFalse();
        }
        assertThat(keys.loadedVersion("AES256", 1).toString()).doesNotContain(java.util.HexFormat.of().formatHex(master));
    }

    @Test
    void wrappedKeyMovedToAnotherObject_doesNotUnwrap() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        GeneratedDataKey g = keys.generateDataKey("AES256", salt());

        assertThatThrownBy(() -> keys.decryptDataKey(g.envelope(), salt()))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.ossCode()).isEqualTo("InternalError");
                });
    }

    @Test
    void tamperedEnvelope_failsInsteadOfReturningAWrongKey() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();
        KeyEnvelope good = keys.generateDataKey("AES256", salt).envelope();
        keys.rotate("AES256");
        byte[] w = good.wrapped();

        List<KeyEnvelope> bad = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            byte[] t = w.clone();
            t[i] ^= 0x01;
            bad.add(new KeyEnvelope("sse-oss", good.keyId(), good.wrapAlgorithm(), t));
        }
        bad.add(new KeyEnvelope("sse-oss", "AES256@v2", good.wrapAlgorithm(), w)); // other existing version
        bad.add(new KeyEnvelope("sse-oss", good.keyId(), ServiceMasterKeys.WRAP_SM4, w));
        bad.add(new KeyEnvelope("sse-oss", good.keyId(), good.wrapAlgorithm(), java.util.Arrays.copyOf(w, 47)));
        bad.add(new KeyEnvelope("kms", good.keyId(), good.wrapAlgorithm(), w));

        for (KeyEnvelope e : bad) {
            assertThatThrownBy(() -> keys.decryptDataKey(e, salt)).as(e.toString())
                    .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
        }
    }

    @Test
    void unknownKeyIds_areRefused() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();
        KeyEnvelope good = keys.generateDataKey("AES256", salt).envelope();

        for (String id : List.of("AES256@v9", "AES256@v0", "AES256", "DES@v1", "AES256@v01", "../AES256@v1", "")) {
            KeyEnvelope e = new KeyEnvelope("sse-oss", id, good.wrapAlgorithm(), good.wrapped());
            assertThatThrownBy(() -> keys.decryptDataKey(e, salt)).as(id)
                    .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.ossCode()).isEqualTo("InternalError"));
        }
    }

    @Test
    void unsupportedAlgorithm_isRefusedAsOssDoes() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        for (String alg : new String[] {"KMS", "aes256", "DES", null}) {
            assertThatThrownBy(() -> keys.generateDataKey(alg, salt()))
                    .isInstanceOfSatisfying(SseException.class, x -> {
                        assertThat(x.httpStatus()).isEqualTo(400);
                        assertThat(x.ossCode()).isEqualTo("InvalidEncryptionAlgorithmError");
                    });
        }
        assertThat(KeyTestSupport.regularFiles(data)).isEmpty();
    }

    @Test
    void wrongRootKey_failsClosed() {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        byte[] salt = salt();
        KeyEnvelope e = keys.generateDataKey("AES256", salt).envelope();
        byte[] otherRoot = new byte[32];
        new SecureRandom().nextBytes(otherRoot);

        ServiceMasterKeys wrong = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD, RootKey.of(otherRoot));

        assertThatThrownBy(() -> wrong.decryptDataKey(e, salt))
                .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
        assertThatThrownBy(() -> wrong.generateDataKey("AES256", salt()))
                .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
        assertThat(KeyTestSupport.regularFiles(data)).hasSize(1); // nothing overwritten or added
    }

    @Test
    void versionFileRenamed_isDetected() throws Exception {
        ServiceMasterKeys keys = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        keys.generateDataKey("AES256", salt());
        Path ring = data.resolve("sse-oss/AES256");
        Files.copy(ring.resolve("v1.key"), ring.resolve("v2.key"));

        ServiceMasterKeys reopened = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);

        assertThatThrownBy(() -> reopened.generateDataKey("AES256", salt()))
                .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
    }

    @Test
    void concurrentFirstUse_byTwoInstances_createsOneKey() throws Exception {
        ServiceMasterKeys a = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        ServiceMasterKeys b = open(ServiceMasterKeys.DEFAULT_ROTATION_PERIOD);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object[]>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                ServiceMasterKeys keys = i % 2 == 0 ? a : b;
                results.add(pool.submit(() -> {
                    start.await();
                    byte[] salt = salt();
                    return new Object[] {keys.generateDataKey("AES256", salt), salt};
                }));
            }
            start.countDown();
            Set<String> keyIds = ConcurrentHashMap.newKeySet();
            for (Future<Object[]> f : results) {
                Object[] r = f.get(60, TimeUnit.SECONDS); // a bound against a hang, not a timing assertion
                GeneratedDataKey g = (GeneratedDataKey) r[0];
                keyIds.add(g.envelope().keyId());
                for (ServiceMasterKeys keys : List.of(a, b)) {
                    try (DataKey k = keys.decryptDataKey(g.envelope(), (byte[]) r[1])) {
                        assertThat(k.sameKeyAs(g.dataKey())).isTrue();
                    }
                }
            }
            assertThat(keyIds).containsExactly("AES256@v1");
            assertThat(KeyTestSupport.regularFiles(data)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
