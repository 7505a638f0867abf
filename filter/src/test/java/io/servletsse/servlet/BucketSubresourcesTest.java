package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.testing.FilteredJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket sub-resources the filter answers or amends ({@code ?encryption}, {@code ?bucketInfo})
 * and error answers to HEAD, against an app that answers BucketInfo in its own layout.
 */
class BucketSubresourcesTest {
    @TempDir
    Path tmp;

    SseRuntime runtime;
    FilteredJetty server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        String config = """
                {
                  "buckets": {"vault": {"SSEAlgorithm": "SM4"}},
                  "access": {
                    "identity": "header", "header": "X-User", "accountId": "1416614965936597", "region": "cn-hangzhou",
                    "users": [{"name": "admin", "policies": ["all"]}, {"name": "bob", "policies": []}],
                    "policies": {"all": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
                  }
                }""";
        runtime = SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(config), tmp.resolve("sse")), Clock.systemUTC());
        server = FilteredJetty.start(runtime, new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                // An app's own BucketInfo, pretty-printed, with a rule of its own that must not survive.
                resp.setContentType("application/xml");
                resp.getWriter().write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BucketInfo>\n  <Bucket>\n    <Name>vault</Name>\n"
                        + "    <ServerSideEncryptionRule>\n      <SSEAlgorithm>None</SSEAlgorithm>\n    </ServerSideEncryptionRule>\n"
                        + "  </Bucket>\n</BucketInfo>\n");
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    private HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("X-User", user)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bucketInfo_carriesOurRuleOnly_evenWhenTheAppsOwnSpansLines() throws Exception {
        HttpResponse<String> r = send("GET", "/vault?bucketInfo", "admin", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Pattern.compile("<ServerSideEncryptionRule>").matcher(r.body()).results().count()).isEqualTo(1);
        assertThat(r.body()).contains("<SSEAlgorithm>SM4</SSEAlgorithm>").doesNotContain("<SSEAlgorithm>None</SSEAlgorithm>");
    }

    @Test
    void putBucketEncryption_byACallerWhoMayNot_is403_whateverTheBody() throws Exception {
        HttpResponse<String> r = send("PUT", "/vault?encryption", "bob", "<not-xml");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>");
        assertThat(runtime.rules().stored("vault")).isEmpty();
    }

    @Test
    void anErrorAnswerToHead_repeatsItsXmlInXOssErr() throws Exception {
        HttpResponse<String> r = send("HEAD", "/vault/report.txt", "bob", null);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEmpty();
        String xml = new String(Base64.getDecoder().decode(r.headers().firstValue("x-oss-err").orElseThrow()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(xml).contains("<Code>AccessDenied</Code>")
                .contains("<RequestId>" + r.headers().firstValue("x-oss-request-id").orElseThrow() + "</RequestId>");
    }
}
