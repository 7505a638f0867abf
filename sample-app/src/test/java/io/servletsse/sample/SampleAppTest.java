package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.servlet.SseFilter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleAppTest {
    private static final Pattern LISTENING = Pattern.compile(
            "servlet-sse sample app listening on http://127\\.0\\.0\\.1:(\\d+) \\(data: (.+), filter: (on|off)\\)");

    @TempDir
    Path tempDir;

    @Test
    void commandLine_withoutArguments_usesTheDocumentedDefaults() {
        SampleApp.Options o = SampleApp.Options.parse();

        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.dataDir()).isEqualTo(Path.of("data"));
        assertThat(o.filter()).isTrue();
        assertThat(o.sseConfig()).isNull();
    }

    @Test
    void commandLine_everyOption_isRead() {
        SampleApp.Options o = SampleApp.Options.parse("--port", "0", "--host", "0.0.0.0", "--data-dir", "/srv/d",
                "--no-filter", "--sse-config", "/etc/sse.json");

        assertThat(o).isEqualTo(new SampleApp.Options("0.0.0.0", 0, Path.of("/srv/d"), false, "/etc/sse.json"));
    }

    @Test
    void commandLine_unknownOrIncomplete_namesTheArgument() {
        assertThatThrownBy(() -> SampleApp.Options.parse("--verbose")).hasMessageContaining("--verbose");
        assertThatThrownBy(() -> SampleApp.Options.parse("--port")).hasMessageContaining("--port");
        assertThatThrownBy(() -> SampleApp.Options.parse("--port", "http")).hasMessageContaining("http");
    }

    @Test
    void main_printsTheListeningLineWithTheChosenPort_andServes() throws Exception {
        Path data = tempDir.resolve("cli-data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SampleApp.class.getName(),
                "--port", "0", "--no-filter", "--data-dir", data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            Matcher m = LISTENING.matcher(line == null ? "" : line);

            assertThat(m.matches()).as("first stdout line: %s", line).isTrue();
            assertThat(m.group(2)).isEqualTo(data.toAbsolutePath().toString());
            assertThat(m.group(3)).isEqualTo("off");
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("<ListAllMyBucketsResult>");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void filterOn_isDeclaredOnEveryRequestWithConfigAndSseDataDirectory() throws Exception {
        Path data = tempDir.resolve("with-filter");
        try (SampleApp.Running app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data))) {
            FilterHolder[] filters = ((ServletContextHandler) app.server().getHandler()).getServletHandler().getFilters();

            assertThat(filters).hasSize(1);
            assertThat(filters[0].getHeldClass()).isEqualTo(SseFilter.class);
            assertThat(filters[0].getInitParameter("config")).isEqualTo("classpath:servlet-sse-sample.json");
            assertThat(filters[0].getInitParameter("dataDirectory")).isEqualTo(data.toAbsolutePath().resolve("sse").toString());
            assertThat(Arrays.stream(((ServletContextHandler) app.server().getHandler()).getServletHandler().getFilterMappings())
                    .flatMap(fm -> Arrays.stream(fm.getPathSpecs()))).containsExactly("/*");
        }
    }

    @Test
    void shippedConfig_writesTheAuditLinesOfAnUploadAndADownload_toAuditLogUnderTheDataDirectory() throws Exception {
        Path data = tempDir.resolve("audited");
        String lines;
        try (SampleApp.Running app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.port();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/aes256")).PUT(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/aes256/a.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofString("audited")).build(), HttpResponse.BodyHandlers.discarding())
                    .headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/aes256/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("audited");
        } // stopping the app writes every queued line
        lines = java.nio.file.Files.readString(data.resolve("sse/audit.log"), StandardCharsets.UTF_8);

        assertThat(lines.lines()).hasSize(2);
        assertThat(lines.lines().toList().get(0)).contains("\"action\":\"kms:GenerateDataKey\",\"bucket\":\"aes256\",\"key\":\"a.txt\"")
                .contains("\"result\":\"success\"");
        assertThat(lines.lines().toList().get(1)).contains("\"action\":\"kms:Decrypt\",\"bucket\":\"aes256\",\"key\":\"a.txt\"");
    }

    @Test
    void sseConfigOption_isTheFiltersConfiguration() throws Exception {
        Path data = tempDir.resolve("custom-config");
        Path config = tempDir.resolve("custom.json");
        java.nio.file.Files.writeString(config, "{\"dataDirectory\": \"ignored\", \"buckets\": {\"docs\": {\"SSEAlgorithm\": \"SM4\"}}}");
        try (SampleApp.Running app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data)
                .withSseConfig(config.toString()))) {
            FilterHolder filter = ((ServletContextHandler) app.server().getHandler()).getServletHandler().getFilters()[0];
            assertThat(filter.getInitParameter("config")).isEqualTo(config.toString());

            TestClient c = new TestClient(app);
            c.createBucket("docs");
            var put = c.put("/docs/a", "text".getBytes());
            assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");
        }
    }

    @Test
    void missingSseConfig_neverServesUnencrypted() throws Exception {
        Path data = tempDir.resolve("missing-config");
        SampleApp.Running app;
        try {
            app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data)
                    .withSseConfig(tempDir.resolve("does-not-exist.json").toString()));
        } catch (Exception refused) {
            return; // refusing to start is fail-closed
        }
        try (app) {
            TestClient c = new TestClient(app);
            var r = c.put("/docs", null);
            assertThat(r.statusCode()).as("the app must not be in service without its filter").isGreaterThanOrEqualTo(500);
            assertThat(java.nio.file.Files.exists(data.resolve("objects/docs"))).isFalse();
        }
    }

    @Test
    void portInUse_failsToStart() throws Exception {
        try (SampleApp.Running first = SampleApp.start(SampleApp.Options.defaults().withPort(0)
                .withDataDir(tempDir.resolve("first")).withFilter(false))) {
            SampleApp.Options same = SampleApp.Options.defaults().withPort(first.port())
                    .withDataDir(tempDir.resolve("second")).withFilter(false);

            assertThatThrownBy(() -> SampleApp.start(same)).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void noFilter_declaresNoFilter() throws Exception {
        try (SampleApp.Running app = SampleApp.start(SampleApp.Options.defaults().withPort(0)
                .withDataDir(tempDir.resolve("plain")).withFilter(false))) {
            assertThat(((ServletContextHandler) app.server().getHandler()).getServletHandler().getFilters()).isEmpty();
            assertThat(app.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + app.port() + "/"));
        }
    }
}
