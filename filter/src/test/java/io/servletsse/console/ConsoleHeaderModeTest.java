package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.testing.FilteredJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console behind a trusted proxy (header mode) in front of an OSS-style app: a session is the
 * vouched-for caller's, and only theirs; a bucket the app refuses to create leaves no rule behind.
 */
class ConsoleHeaderModeTest {
    @TempDir
    Path tmp;

    SseRuntime runtime;
    FilteredJetty server;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        String config = """
                {
                  "access": {
                    "identity": "header", "header": "X-User", "accountId": "1416614965936597", "region": "cn-hangzhou",
                    "users": [{"name": "alice", "policies": ["all"]}],
                    "policies": {"all": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
                  },
                  "admin": {"console": true, "ossStyleApp": true}
                }""";
        runtime = SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(config), tmp.resolve("sse")), Clock.systemUTC());
        server = FilteredJetty.start(runtime, new ServletHolder(new HttpServlet() {
            @Override
            protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
                if (req.getRequestURI().equals("/taken")) { // OSS PutBucket of a name someone else holds
                    resp.setStatus(409);
                    resp.setContentType("application/xml");
                    resp.getWriter().write("<Error><Code>BucketAlreadyExists</Code></Error>");
                }
            }
        }));
        port = server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    private HttpResponse<String> session(String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_servlet-sse/api/Session"));
        if (user != null) {
            b.header("X-User", user);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallerNobodyVouchesFor_getsNoSession_aNamedOneDoes() throws Exception {
        HttpResponse<String> nobody = session(null);
        JsonNode n = new ObjectMapper().readTree(nobody.body());
        assertThat(nobody.statusCode()).isEqualTo(200);
        assertThat(n.get("SignedIn").asBoolean()).isFalse();
        assertThat(n.has("CsrfToken")).isFalse();
        assertThat(nobody.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> alice = session("alice");
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(alice.body()).get("User").asText()).isEqualTo("alice");
        assertThat(alice.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("HttpOnly"));
    }

    @Test
    void createBucketTheAppRefuses_answersTheAppsError_andLeavesNoRule() throws Exception {
        HttpResponse<String> alice = session("alice");
        String cookie = alice.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = new ObjectMapper().readTree(alice.body()).get("CsrfToken").asText();

        HttpResponse<String> refused = api(cookie, csrf, "oss/CreateBucket",
                "{\"Bucket\":\"taken\",\"ServerSideEncryptionRule\":{\"SSEAlgorithm\":\"AES256\"}}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(new ObjectMapper().readTree(refused.body()).get("Code").asText()).isEqualTo("BucketAlreadyExists");
        assertThat(runtime.rules().configured("taken")).isEmpty();
        assertThat(runtime.rules().stored("taken")).isEmpty();

        HttpResponse<String> created = api(cookie, csrf, "oss/CreateBucket",
                "{\"Bucket\":\"fresh\",\"ServerSideEncryptionRule\":{\"SSEAlgorithm\":\"AES256\"}}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(runtime.rules().effective("fresh").algorithm().name()).isEqualTo("AES256");
    }

    private HttpResponse<String> api(String cookie, String csrf, String action, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_servlet-sse/api/" + action))
                .header("X-User", "alice").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .header("Origin", "http://127.0.0.1:" + port).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
