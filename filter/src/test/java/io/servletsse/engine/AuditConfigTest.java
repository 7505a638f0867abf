package io.servletsse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code audit} section: where the runtime's audit lines go, validated before anything opens. */
class AuditConfigTest {
    @TempDir
    Path tmp;

    private SseConfig parse(String json) throws Exception {
        return ConfigLoader.parse(ConfigLoader.json().readTree(json), tmp.resolve("sse"));
    }

    @Test
    void absent_isTheLogger_aRelativeFileIsUnderTheDataDirectory_anAbsoluteOneStays() throws Exception {
        assertThat(parse("{}").audit()).isEqualTo(SseConfig.Audit.LOGGER);
        assertThat(parse("{\"audit\":{}}").audit().fileUnder(tmp.resolve("sse"))).isNull();

        SseConfig relative = parse("{\"audit\":{\"file\":\"logs/audit.log\"}}");
        assertThat(relative.audit().fileUnder(relative.dataDirectory())).isEqualTo(tmp.resolve("sse/logs/audit.log"));
        assertThat(relative.audit().maxFileBytes()).isEqualTo(256L << 20);
        assertThat(relative.withDataDirectory(tmp.resolve("other")).audit().fileUnder(tmp.resolve("other")))
                .as("follows a data directory given by init-param").isEqualTo(tmp.resolve("other/logs/audit.log"));

        Path absolute = tmp.resolve("var/audit.log").toAbsolutePath();
        SseConfig abs = parse("{\"audit\":{\"file\":\"" + absolute + "\",\"maxFileBytes\":1048576}}");
        assertThat(abs.audit().fileUnder(abs.dataDirectory())).isEqualTo(absolute);
        assertThat(abs.audit().maxFileBytes()).isEqualTo(1 << 20);
    }

    @Test
    void badValues_nameTheField() {
        String[][] cases = {
            {"{\"audit\":[]}", "audit"},
            {"{\"audit\":{\"path\":\"a.log\"}}", "audit.path"},
            {"{\"audit\":{\"file\":\"\"}}", "audit.file"},
            {"{\"audit\":{\"file\":\"  \"}}", "audit.file"},
            {"{\"audit\":{\"file\":\"a\\u0000.log\"}}", "audit.file"},
            {"{\"audit\":{\"file\":7}}", "file"},
            {"{\"audit\":{\"file\":\"a.log\",\"maxFileBytes\":1048575}}", "audit.maxFileBytes"},
            {"{\"audit\":{\"file\":\"a.log\",\"maxFileBytes\":1099511627777}}", "audit.maxFileBytes"},
            {"{\"audit\":{\"file\":\"a.log\",\"maxFileBytes\":\"1048576\"}}", "audit.maxFileBytes"},
            {"{\"audit\":{\"file\":\"a.log\",\"maxFileBytes\":2.5e6}}", "audit.maxFileBytes"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(ConfigException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void theRuntime_writesItsLinesToTheFile_andWontStartWhenTheFileCannotBeOpened() throws Exception {
        SseConfig config = parse("{\"audit\":{\"file\":\"audit/audit.log\"}}");
        SseRuntime runtime = SseRuntime.open(config, Clock.systemUTC());
        try {
            runtime.audit().dataKeyDecrypted("R1", "alice", "photos", "2026/a.jpg", null);
        } finally {
            runtime.close(); // writes what is queued and closes the file
        }
        assertThat(Files.readAllLines(tmp.resolve("sse/audit/audit.log"), StandardCharsets.UTF_8)).singleElement()
                .satisfies(l -> assertThat(l).contains("\"requestId\":\"R1\",\"principal\":\"alice\",\"action\":\"kms:Decrypt\""));

        Files.createDirectories(tmp.resolve("sse/taken"));
        SseConfig unusable = parse("{\"audit\":{\"file\":\"taken\"}}");
        assertThatThrownBy(() -> SseRuntime.open(unusable, Clock.systemUTC())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("audit file").hasMessageContaining("taken");
    }
}
