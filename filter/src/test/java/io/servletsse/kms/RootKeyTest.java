package io.servletsse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.error.SseException;
import io.servletsse.testing.Stderr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RootKeyTest {
    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    private byte[] randomKey() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    /** Same key means: what one seals, the other opens. */
    private static boolean sameKey(RootKey a, RootKey b) {
        byte[] sealed = a.seal(new byte[] {1, 2, 3}, new byte[0], new SecureRandom());
        try {
            return java.util.Arrays.equals(b.open(sealed, new byte[0], "test"), new byte[] {1, 2, 3});
        } catch (SseException e) {
            return false;
        }
    }

    @Test
    void configuredFile_winsOverEnvironmentAndGeneratedFile() throws Exception {
        byte[] fileKey = randomKey();
        Path f = dir.resolve("operator.key");
        Files.writeString(f, "  " + Base64.getEncoder().encodeToString(fileKey) + "\n");
        Map<String, String> env = Map.of(RootKey.DEFAULT_ENVIRONMENT_VARIABLE, Base64.getEncoder().encodeToString(randomKey()));

        RootKey k = RootKey.resolve(f, null, env, dir.resolve("data"), random);

        assertThat(sameKey(k, RootKey.of(fileKey))).isTrue();
        assertThat(dir.resolve("data/root.key")).doesNotExist();
    }

    @Test
    void configuredFile_mayHoldRawBytes() throws Exception {
        byte[] fileKey = randomKey();
        Path f = dir.resolve("raw.key");
        Files.write(f, fileKey);

        assertThat(sameKey(RootKey.resolve(f, null, Map.of(), dir, random), RootKey.of(fileKey))).isTrue();
    }

    @Test
    void configuredFileMissing_failsInsteadOfGenerating() {
        assertThatThrownBy(() -> RootKey.resolve(dir.resolve("nope.key"), null, Map.of(), dir, random))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("does not exist");
                });
        assertThat(dir.resolve("root.key")).doesNotExist();
    }

    @Test
    void malformedKeys_areRefusedWithoutEchoingThem() throws Exception {
        Path f = dir.resolve("short.key");
        Files.writeString(f, "c2hvcnQ=");
        assertThatThrownBy(() -> RootKey.resolve(f, null, Map.of(), dir, random))
                .isInstanceOf(SseException.class).hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> RootKey.resolve(null, "MY_KEY", Map.of("MY_KEY", "%%secret-ish%%"), dir, random))
                .isInstanceOf(SseException.class).hasMessageContaining("MY_KEY").hasMessageNotContaining("secret-ish");
        Path big = dir.resolve("big.key");
        Files.write(big, new byte[4096]);
        assertThatThrownBy(() -> RootKey.resolve(big, null, Map.of(), dir, random)).isInstanceOf(SseException.class);
    }

    @Test
    void environmentVariable_winsOverGeneratedFile() {
        byte[] envKey = randomKey();
        RootKey k = RootKey.resolve(null, "SSE_ROOT", Map.of("SSE_ROOT", Base64.getEncoder().encodeToString(envKey)), dir, random);

        assertThat(sameKey(k, RootKey.of(envKey))).isTrue();
        assertThat(dir.resolve("root.key")).doesNotExist();
    }

    @Test
    void nothingConfigured_generatesOwnerOnlyFileWithWarning_andReusesIt() throws Exception {
        RootKey[] generated = new RootKey[1];
        String log = Stderr.of(() -> generated[0] = RootKey.resolve(null, null, Map.of(), dir.resolve("data"), random));
        RootKey first = generated[0];

        Path f = dir.resolve("data/root.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(log).contains("WARN").contains("beside the data it protects")
                .contains(f.toString());
        RootKey second = RootKey.resolve(null, null, Map.of(), dir.resolve("data"), random);
        assertThat(sameKey(first, second)).isTrue();
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        String onDisk = Files.readString(f).trim();
        assertThat(log).doesNotContain(onDisk);
    }

    @Test
    void concurrentFirstRuns_agreeOnOneGeneratedKey() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> fs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return RootKey.resolve(null, null, Map.of(), dir.resolve("data"), new SecureRandom()).fingerprint();
                }));
            }
            go.countDown();
            java.util.Set<String> fingerprints = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> f : fs) {
                fingerprints.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS)); // guards against a hang only
            }
            assertThat(fingerprints).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toString_isRedacted() {
        byte[] key = randomKey();
        RootKey k = RootKey.of(key);
        assertThat(k.toString()).contains("redacted")
                .doesNotContain(Base64.getEncoder().encodeToString(key))
                .doesNotContain(java.util.HexFormat.of().formatHex(key));
    }

    @Test
    void sealedData_opensOnlyWithSameAadAndKey() {
        RootKey k = RootKey.of(randomKey());
        byte[] sealed = k.seal("secret".getBytes(StandardCharsets.UTF_8), "file A".getBytes(StandardCharsets.UTF_8), random);

        assertThat(k.open(sealed, "file A".getBytes(StandardCharsets.UTF_8), "A")).asString().isEqualTo("secret");
        assertThatThrownBy(() -> k.open(sealed, "file B".getBytes(StandardCharsets.UTF_8), "B"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
        assertThatThrownBy(() -> RootKey.of(randomKey()).open(sealed, "file A".getBytes(StandardCharsets.UTF_8), "A"))
                .isInstanceOf(SseException.class);
    }

    @Test
    void closedKey_refusesToSeal() {
        RootKey k = RootKey.of(randomKey());
        k.close();
        assertThatThrownBy(() -> k.seal(new byte[1], new byte[0], random)).isInstanceOf(IllegalStateException.class);
    }
}
