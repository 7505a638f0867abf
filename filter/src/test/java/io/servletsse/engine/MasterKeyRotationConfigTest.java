package io.servletsse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code masterKeyRotation}: the age at which AES256/SM4 uploads move to a new service master key version. */
class MasterKeyRotationConfigTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private SseConfig parse(String rotation) throws Exception {
        String json = "{\"paths\":{\"prefix\":\"/\"},\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}"
                + (rotation == null ? "" : ",\"masterKeyRotation\":" + rotation) + "}";
        return ConfigLoader.parse(ConfigLoader.json().readTree(json), tmp.resolve("sse"));
    }

    /** The key version a new upload to the AES256 bucket is wrapped with, after {@code age} has passed. */
    private static String uploadKeyAfter(SseRuntime rt, MutableClock clock, Duration age) {
        clock.advance(age);
        SseRuntime.Upload up = rt.planUpload(rt.rules().effective("vault"), "vault", 1);
        up.dataKey().destroy();
        return up.header().keyEnvelope().keyId();
    }

    @Test
    void defaultIs90Days_andAGivenPeriodRotatesWhenItHasPassed() throws Exception {
        assertThat(parse(null).masterKeyRotation()).isEqualTo(Duration.ofDays(90));
        try (SseRuntime rt = SseRuntime.open(parse("\"P30D\""), clock)) {
            assertThat(uploadKeyAfter(rt, clock, Duration.ZERO)).isEqualTo("AES256@v1");
            assertThat(uploadKeyAfter(rt, clock, Duration.ofDays(29))).isEqualTo("AES256@v1");
            assertThat(uploadKeyAfter(rt, clock, Duration.ofDays(1))).isEqualTo("AES256@v2");
        }
    }

    @Test
    void zero_turnsAutomaticRotationOff() throws Exception {
        try (SseRuntime rt = SseRuntime.open(parse("\"PT0S\""), clock)) {
            assertThat(uploadKeyAfter(rt, clock, Duration.ZERO)).isEqualTo("AES256@v1");
            assertThat(uploadKeyAfter(rt, clock, Duration.ofDays(3650))).isEqualTo("AES256@v1");
        }
    }

    @Test
    void negativeOrMalformed_isRefusedNamingTheField() {
        for (String bad : new String[] {"\"-P1D\"", "\"90 days\"", "90", "null"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("masterKeyRotation");
        }
    }
}
