package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent does when it cannot start as configured: the documented failMode. */
class AgentStartupIT {
    private static final int EXIT_REFUSED = 78;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void invalidConfig_jvmRefusesToStartNamingTheField() throws Exception {
        Path config = Configs.write(dir.resolve("bad.json"), """
                { "dataDirectory": "%s", "defaultEncryption": { "SSEAlgorithm": "AES128" } }
                """.formatted(dir.resolve("sse")));
        try (ForkedApp app = sampleApp("config=" + config)) {
            assertThat(app.awaitExit()).isEqualTo(EXIT_REFUSED);
            assertThat(app.output())
                    .contains("[servlet-sse agent] ERROR")
                    .contains("defaultEncryption.SSEAlgorithm")
                    .contains("refusing to start the JVM")
                    .doesNotContain("listening on");
        }
    }

    @Test
    void missingConfigFile_jvmRefusesToStartNamingTheFile() throws Exception {
        Path config = dir.resolve("nowhere.json");
        try (ForkedApp app = sampleApp("config=" + config)) {
            assertThat(app.awaitExit()).isEqualTo(EXIT_REFUSED);
            assertThat(app.output()).contains("nowhere.json").doesNotContain("listening on");
        }
    }

    @Test
    void noConfigAtAll_jvmRefusesToStartSayingHowToGiveOne() throws Exception {
        try (ForkedApp app = sampleApp(null)) {
            assertThat(app.awaitExit()).isEqualTo(EXIT_REFUSED);
            assertThat(app.output()).contains("no configuration given").contains("SERVLETSSE_CONFIG");
        }
    }

    @Test
    void unknownAgentOption_jvmRefusesToStart() throws Exception {
        try (ForkedApp app = sampleApp("confg=/x.json")) {
            assertThat(app.awaitExit()).isEqualTo(EXIT_REFUSED);
            assertThat(app.output()).contains("unknown agent option 'confg'");
        }
    }

    @Test
    void configFromSystemProperty_isUsed() throws Exception {
        Path config = Configs.sampleApp(dir, dir.resolve("data/sse"));
        try (ForkedApp app = ForkedApp.start(ForkedApp.command(ForkedApp.currentJava(),
                List.of("-Dservletsse.config=" + config, Paths.javaagent(null)), sampleAppArgs()), dir)) {
            Http http = new Http(URI.create(app.awaitListening() + "/"));
            assertThat(http.put("aes256", new byte[0]).statusCode()).isEqualTo(200);
            byte[] body = Objects.random(5000, 11);
            assertThat(http.put("aes256/k", body).statusCode()).isEqualTo(200);
            Objects.assertEncryptedOnDisk(dir.resolve("data/objects/aes256/k"), body);
        }
    }

    @Test
    void invalidConfigWithFailModeOpen_appRunsUnencryptedWithWarning() throws Exception {
        Path config = Configs.write(dir.resolve("bad.json"), "{ \"dataDirectory\": 42 }");
        try (ForkedApp app = sampleApp("config=" + config + ",failMode=open")) {
            Http http = new Http(URI.create(app.awaitListening() + "/"));
            assertThat(app.output()).contains("[servlet-sse agent] ERROR").contains("dataDirectory")
                    .contains("failMode=open").contains("UNENCRYPTED");
            assertThat(http.put("aes256", new byte[0]).statusCode()).isEqualTo(200);
            byte[] body = Objects.random(5000, 12);
            assertThat(http.put("aes256/k", body).statusCode()).isEqualTo(200);
            Objects.assertPlainOnDisk(dir.resolve("data/objects/aes256/k"), body);
        }
    }

    private ForkedApp sampleApp(String agentOptions) throws Exception {
        Files.createDirectories(dir);
        return ForkedApp.start(ForkedApp.command(ForkedApp.currentJava(), List.of(Paths.javaagent(agentOptions)),
                sampleAppArgs()), dir);
    }

    private String[] sampleAppArgs() {
        return new String[] {"-jar", Paths.sampleAppJar().toString(), "--no-filter", "--port", "0",
            "--data-dir", dir.resolve("data").toString()};
    }
}
