package io.servletsse.kms;

import io.servletsse.testing.MutableClock;
import static io.servletsse.kms.KeyTestSupport.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeyServicesTest {
    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.startingAt("2026-06-01T00:00:00Z");

    private KeyServicesOptions.Builder options() {
        return KeyServicesOptions.builder(data.resolve("keys")).environment(Map.of()).clock(clock);
    }

    @Test
    void defaults_giveSseOssAndBuiltInKms_andRouteEnvelopesToTheirSource() throws Exception {
        try (KeyServices keys = KeyServices.open(options().build())) {
            byte[] s1 = salt();
            byte[] s2 = salt();
            GeneratedDataKey oss = keys.serviceMasterKeys().generateDataKey("SM4", s1);
            GeneratedDataKey kms = keys.keyManager().generateDataKey(null, s2, "bucket", 100);

            try (DataKey a = keys.decryptDataKey(oss.envelope(), s1); DataKey b = keys.decryptDataKey(kms.envelope(), s2)) {
                assertThat(a.sameKeyAs(oss.dataKey())).isTrue();
                assertThat(b.sameKeyAs(kms.dataKey())).isTrue();
            }
            assertThat(keys.sourceFor("kms")).isSameAs(keys.keyManager());
            assertThatThrownBy(() -> keys.sourceFor("pkcs11"))
                    .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
            assertThatThrownBy(() -> keys.decryptDataKey(new KeyEnvelope("other", "x", "y", new byte[1]), s1))
                    .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
        }
        Path dir = data.resolve("keys");
        assertThat(dir.resolve("root.key")).exists();
        assertThat(dir.resolve("sse-oss/SM4/v1.key")).exists();
        assertThat(dir.resolve("kms/keys.json")).exists();
        for (Path d : new Path[] {dir, dir.resolve("sse-oss"), dir.resolve("kms"), dir.resolve("kms/material")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void kmsDisabled_answersKmsServiceNotEnabled_butSseOssWorks() {
        try (KeyServices keys = KeyServices.open(options().kmsEnabled(false).build())) {
            byte[] salt = salt();
            GeneratedDataKey oss = keys.serviceMasterKeys().generateDataKey("AES256", salt);
            keys.decryptDataKey(oss.envelope(), salt).destroy();

            for (Runnable call : new Runnable[] {
                    () -> keys.keyManager().generateDataKey(null, salt()),
                    () -> keys.keyAdmin().createKey("x"),
                    () -> keys.decryptDataKey(new KeyEnvelope("kms", "x", "y", new byte[1]), salt),
                    () -> keys.decryptDataKey(new KeyEnvelope("pkcs11", "x", "y", new byte[1]), salt)}) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.ossCode()).isEqualTo("KmsServiceNotEnabled");
                });
            }
        }
        assertThat(data.resolve("keys/kms")).doesNotExist();
    }

    @Test
    void rootKeyFromEnvironment_isUsed_andNothingIsGenerated() {
        byte[] root = new byte[32];
        new java.security.SecureRandom().nextBytes(root);
        KeyServicesOptions o = options().rootKeyEnvironmentVariable("MY_ROOT")
                .environment(Map.of("MY_ROOT", Base64.getEncoder().encodeToString(root))).build();
        byte[] salt = salt();
        KeyEnvelope e;
        try (KeyServices keys = KeyServices.open(o)) {
            e = keys.serviceMasterKeys().generateDataKey("AES256", salt).envelope();
        }
        assertThat(data.resolve("keys/root.key")).doesNotExist();

        KeyServicesOptions wrongRoot = options().environment(Map.of("SERVLET_SSE_ROOT_KEY",
                Base64.getEncoder().encodeToString(new byte[32]))).build();
        try (KeyServices keys = KeyServices.open(wrongRoot)) {
            assertThatThrownBy(() -> keys.decryptDataKey(e, salt))
                    .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.httpStatus()).isEqualTo(500));
        }
        try (KeyServices keys = KeyServices.open(o)) {
            keys.decryptDataKey(e, salt).destroy();
        }
    }

    @Test
    void serviceKeyRotationPeriod_isApplied() {
        try (KeyServices keys = KeyServices.open(options().serviceKeyRotationPeriod(Duration.ofDays(30)).build())) {
            assertThat(keys.serviceMasterKeys().currentKeyId("AES256")).isEqualTo("AES256@v1");
            clock.advance(Duration.ofDays(30));
            assertThat(keys.serviceMasterKeys().generateDataKey("AES256", salt()).envelope().keyId()).isEqualTo("AES256@v2");
        }
    }

    @Test
    void builder_rejectsBadValues_namingThem() {
        KeyServicesOptions.Builder b = options();
        assertThatThrownBy(() -> b.serviceKeyRotationPeriod(Duration.ofDays(-1))).hasMessageContaining("PT-24H");
        assertThatThrownBy(() -> b.rootKeyEnvironmentVariable(" ")).hasMessageContaining("rootKeyEnvironmentVariable");
        assertThatThrownBy(() -> new DataKeyCacheOptions(true, Duration.ZERO, 1, 1, Duration.ofMinutes(1), 1))
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> new DataKeyCacheOptions(true, Duration.ofMinutes(1), 0, 1, Duration.ofMinutes(1), 1))
                .hasMessageContaining("maxUses");
        assertThatThrownBy(() -> new Pkcs11Options(Path.of("/x.so"), -1L, "1".toCharArray())).hasMessageContaining("slot");
        Pkcs11Options p = new Pkcs11Options(Path.of("/x.so"), 3L, "secret-pin".toCharArray());
        assertThat(p.toString()).doesNotContain("secret-pin");
        assertThat(options().pkcs11Backend(p).build().toString()).doesNotContain("secret-pin");
    }
}
