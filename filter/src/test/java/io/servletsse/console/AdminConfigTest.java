package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
