package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.FilteredJetty;
import io.servletsse.testing.Stderr;
import jakarta.servlet.MultipartConfigElement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Form uploads with permission checks on (principal mode through a trusted header, to keep the
 * test about forms rather than signatures): each file part is checked as a PutObject of the
 * object it becomes, named by the form's {@code key} field; a denied or unnamed part stores
 * nothing; the form's own SSE fields choose the encryption as PostObject's do.
 */
class MultipartPermissionsTest {
    @TempDir
    Path tmp;

    SseRuntime runtime;
    FilteredJetty server;
    Path docs;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        String config = """
                {
                  "buckets": {"vault": {"SSEAlgorithm": "AES256"}, "open": {"SSEAlgorithm": "None"}},
                  "access": {
                    "identity": "header", "header": "X-User", "accountId": "1416614965936597", "region": "cn-hangzhou",
                    "users": [{"name": "alice", "policies": ["uploads-only"]}],
                    "policies": {"uploads-only": {"Version": "1", "Statement": [{"Effect": "Allow",
                        "Action": ["oss:PutObject", "oss:GetObject"], "Resource": "acs:oss:*:1416614965936597:*/uploads/*"}]}}
                  }
                }""";
        SseConfig c = ConfigLoader.parse(ConfigLoader.json().readTree(config), tmp.resolve("sse"));
        runtime = SseRuntime.open(c, Clock.systemUTC());
        ServletHolder holder = new ServletHolder(new MultipartContainersTest.FormServlet(docs));
        holder.getRegistration().setMultipartConfig(new MultipartConfigElement(tmp.toString()));
        server = FilteredJetty.start(runtime, holder);
        port = server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=B0UND").header("X-User", "alice")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keyTheCallerMayWrite_isStoredEncrypted() throws Exception {
        byte[] body = new MultipartContainersTest.Form("B0UND").field("key", "uploads/a.txt")
                .file("file", "a.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close();

        HttpResponse<String> r = post("/vault", body);

        assertThat(r.statusCode()).isEqualTo(200);
        byte[] stored = Files.readAllBytes(docs.resolve("vault/uploads/a.txt"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
    }

    @Test
    void keyTheCallerMayNotWrite_is403_nothingStored_andAudited() throws Exception {
        byte[] body = new MultipartContainersTest.Form("B0UND").field("key", "elsewhere/a.txt")
                .file("file", "a.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close();
        List<HttpResponse<String>> got = new ArrayList<>();
        String log = Stderr.of(() -> got.add(post("/vault", body)));
        HttpResponse<String> r = got.get(0);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>");
        assertThat(docs.resolve("vault")).doesNotExist();
        assertThat(log).contains("\"principal\":\"alice\",\"action\":\"oss:PutObject\"")
                .contains("\"key\":\"elsewhere/a.txt\"").contains("\"result\":\"denied\"");
    }

    @Test
    void fileBeforeItsKeyField_is400_becauseTheObjectCannotBeChecked() throws Exception {
        byte[] body = new MultipartContainersTest.Form("B0UND")
                .file("file", "a.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8))
                .field("key", "uploads/a.txt").close();

        HttpResponse<String> r = post("/vault", body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>InvalidArgument</Code>").contains("key");
        assertThat(docs.resolve("vault")).doesNotExist();
    }

    @Test
    void formSseField_encryptsUploadToAPlainBucket_asPostObjectDoes() throws Exception {
        byte[] body = new MultipartContainersTest.Form("B0UND").field("key", "uploads/${filename}")
                .field("x-oss-server-side-encryption", "SM4")
                .file("file", "n.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close();

        HttpResponse<String> r = post("/open", body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");
        byte[] stored = Files.readAllBytes(docs.resolve("open/uploads/n.txt"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
        HttpResponse<String> back = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/open/uploads/n.txt"))
                .header("X-User", "alice").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(back.body()).isEqualTo("top secret");
    }

    /**
     * The key the filter checks must be the key the app stores: a form whose key field the app might
     * not read ("KEY" where the app reads "key" and falls back to the file name), or whose file name
     * carries a path that apps resolve differently (the whole, or its last part), is refused whole.
     */
    @Test
    void keySpellingsAndFileNamesTheAppCouldReadOtherwise_are400_nothingStored() throws Exception {
        byte[][] forms = {
            new MultipartContainersTest.Form("B0UND").field("KEY", "uploads/ok.txt")
                    .file("file", "victim.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close(),
            new MultipartContainersTest.Form("B0UND").field("Key", "uploads/ok.txt")
                    .file("file", "victim.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close(),
            new MultipartContainersTest.Form("B0UND").field("key", "${filename}")
                    .file("file", "uploads/victim.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close(),
            new MultipartContainersTest.Form("B0UND").field("key", "uploads/${filename}")
                    .file("file", "..\\victim.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)).close(),
        };
        for (byte[] body : forms) {
            HttpResponse<String> r = post("/vault", body);
            assertThat(r.statusCode()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(400);
            assertThat(r.body()).contains("<Code>InvalidArgument</Code>");
        }
        assertThat(docs.resolve("vault")).doesNotExist();
    }
}
