package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.Stderr;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code admin} section: defaults that keep the console off, and errors that name the field. */
class AdminConfigTest {
    static final String ACCESS = "\"access\": {\"identity\": \"principal\", \"accountId\": \"1\", \"region\": \"cn-hangzhou\"}";

    static SseConfig.Admin parse(String json) throws Exception {
        return ConfigLoader.parse(ConfigLoader.json().readTree(json), Path.of("/tmp/unused")).admin();
    }

    @Test
    void noAdminSection_servesNothing() throws Exception {
        SseConfig.Admin a = parse("{}");
        assertThat(a.enabled()).isFalse();
    }

    @Test
    void withAccess_apiOnConsoleOff_byDefault() throws Exception {
        SseConfig.Admin a = parse("{" + ACCESS + ", \"admin\": {}}");
        assertThat(a.api()).isTrue();
        assertThat(a.console()).isFalse();
        assertThat(a.path()).isEqualTo("/_servlet-sse/");
        assertThat(a.sessionLifetime()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void withoutAccess_nothingUnlessTurnedOnExplicitly() throws Exception {
        assertThat(parse("{\"admin\": {}}").enabled()).isFalse();
        SseConfig.Admin on = parse("{\"admin\": {\"console\": true}}");
        assertThat(on.api()).isTrue();
        assertThat(on.console()).isTrue();
    }

    /** The warning is in the start-up log, where an operator looks, before anyone reaches the console. */
    @Test
    void enabledWithoutAccess_warnsAtStartUp(@TempDir Path tmp) throws Exception {
        assertThat(startUpLog("{\"admin\": {\"console\": true}}", tmp.resolve("open")))
                .contains("WARN", "the admin console and API at /_servlet-sse/ is enabled without an access section");
        assertThat(startUpLog("{" + ACCESS + ", \"admin\": {}}", tmp.resolve("guarded"))).doesNotContain("without an access section");
        assertThat(startUpLog("{}", tmp.resolve("off"))).doesNotContain("without an access section");
    }

    /** What slf4j-simple (test scope, writing to the current System.err) prints while a runtime opens and closes. */
    private static String startUpLog(String json, Path dataDir) throws Exception {
        return Stderr.of(() -> SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(json), dataDir), Clock.systemUTC()).close());
    }

    @Test
    void pathThatCouldBeABucket_isRefused_namingTheField() {
        assertThatThrownBy(() -> parse("{\"admin\": {\"path\": \"/admin/\", \"api\": true}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin.path").hasMessageContaining("admin");
    }

    @Test
    void consoleWithoutApi_unknownField_badLifetime_badOrigin_areRefused() {
        assertThatThrownBy(() -> parse("{\"admin\": {\"console\": true, \"api\": false}}")).hasMessageContaining("admin.api");
        assertThatThrownBy(() -> parse("{\"admin\": {\"consol\": true}}")).hasMessageContaining("admin.consol");
        assertThatThrownBy(() -> parse("{\"admin\": {\"sessionLifetime\": \"P30D\"}}")).hasMessageContaining("admin.sessionLifetime");
        assertThatThrownBy(() -> parse("{\"admin\": {\"allowedOrigins\": [\"evil.example/x\"]}}"))
                .hasMessageContaining("admin.allowedOrigins");
    }

    @Test
    void theOldReservedConsoleName_isNowAnUnknownField() {
        assertThatThrownBy(() -> parse("{\"console\": {}}")).isInstanceOf(ConfigException.class).hasMessageContaining("console");
    }
}
