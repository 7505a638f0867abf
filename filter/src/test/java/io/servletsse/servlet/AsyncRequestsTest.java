package io.servletsse.servlet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.testing.FilteredJetty;
import io.servletsse.testing.FilteredTomcat;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A filter declared {@code async-supported} (as an app with async servlets must declare every
 * filter in front of them) still never lets an asynchronous request under the prefix bypass it:
 * {@code AsyncContext.getRequest()} is the unwrapped request, so a body read on another thread
 * would be stored in plaintext while the upload was answered as encrypted. Under the prefix
 * {@code startAsync()} is refused; elsewhere the app's async servlets keep working.
 */
class AsyncRequestsTest {
    enum Container { JETTY, TOMCAT }

    private static final String SECRET = "top secret plaintext, read on an async thread";

    @TempDir
    Path tmp;

    SseRuntime runtime;
    AutoCloseable server;
    int port;
    Path docs;
    final HttpClient http = HttpClient.newHttpClient();
    /** What the app saw, per request path: isAsyncSupported() and startAsync()'s refusal. */
    final Map<String, String> seen = new ConcurrentHashMap<>();

    /**
     * PUT stores the body (on an async thread, from {@code AsyncContext.getRequest()}, unless the
     * path ends in "sync"); GET sends what is stored from an async thread; GET /async answers
     * "async ok" from an async thread.
     */
    final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Path file = docs.resolve(req.getRequestURI().substring(1).replace('/', '_'));
            if (req.getRequestURI().endsWith("sync")) {
                Files.write(file, req.getInputStream().readAllBytes());
                return;
            }
            AsyncContext ac = start(req);
            ac.start(() -> {
                try {
                    Files.write(file, ac.getRequest().getInputStream().readAllBytes());
                } catch (IOException e) {
                    ((HttpServletResponse) ac.getResponse()).setStatus(500);
                }
                ac.complete();
            });
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext ac = start(req);
            ac.start(() -> {
                try {
                    byte[] body = req.getRequestURI().equals("/async") ? "async ok".getBytes(UTF_8)
                            : Files.readAllBytes(docs.resolve(req.getRequestURI().substring(1).replace('/', '_')));
                    ac.getResponse().getOutputStream().write(body);
                } catch (IOException e) {
                    ((HttpServletResponse) ac.getResponse()).setStatus(500);
                }
                ac.complete();
            });
        }

        private AsyncContext start(HttpServletRequest req) {
            seen.put(req.getRequestURI() + " isAsyncSupported", Boolean.toString(req.isAsyncSupported()));
            try {
                return req.startAsync();
            } catch (IllegalStateException e) {
                seen.put(req.getRequestURI() + " refused", e.getMessage());
                throw e; // the container answers 500
            }
        }
    }

    void start(Container c) throws Exception {
        runtime = SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(
                "{\"paths\":{\"prefix\":\"/files/\"},\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}}"),
                tmp.resolve("sse")), Clock.systemUTC());
        docs = Files.createDirectories(tmp.resolve("docs"));
        if (c == Container.JETTY) {
            ServletHolder holder = new ServletHolder(new App());
            holder.setAsyncSupported(true);
            FilteredJetty jetty = FilteredJetty.start(runtime, holder, true);
            port = jetty.port();
            server = jetty;
        } else {
            FilteredTomcat tomcat = FilteredTomcat.start(runtime, tmp.resolve("tomcat"), docs, true, ctx -> {
                Tomcat.addServlet(ctx, "app", new App()).setAsyncSupported(true);
                ctx.addServletMappingDecoded("/*", "app");
            });
            port = tomcat.port();
            server = tomcat;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, p).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anAsyncUploadIsRefused_nothingIsStoredAndNothingClaimsEncryption(Container c) throws Exception {
        start(c);
        HttpResponse<byte[]> r = send("PUT", "/files/vault/report.txt", SECRET);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue(OssHeaders.SSE)).isEmpty();
        assertThat(docs.resolve("files_vault_report.txt")).doesNotExist();
        assertThat(seen).containsEntry("/files/vault/report.txt isAsyncSupported", "false");
        assertThat(seen.get("/files/vault/report.txt refused")).startsWith("servlet-sse: asynchronous requests are not supported");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anAsyncDownloadOfAnEncryptedObjectIsRefused_neitherPlaintextNorCiphertextGoesOut(Container c) throws Exception {
        start(c);
        assertThat(send("PUT", "/files/vault/sync", SECRET).headers().firstValue(OssHeaders.SSE)).hasValue("AES256");
        byte[] stored = Files.readAllBytes(docs.resolve("files_vault_sync"));
        assertThat(new String(stored, UTF_8)).doesNotContain("top secret");

        HttpResponse<byte[]> r = send("GET", "/files/vault/sync", null);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue(OssHeaders.SSE)).isEmpty();
        String sent = new String(r.body(), ISO_8859_1); // byte for byte
        assertThat(sent).doesNotContain("top secret").doesNotContain(new String(stored, 0, 16, ISO_8859_1));
        assertThat(seen).containsKey("/files/vault/sync refused");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void outsideThePrefix_theAppsAsyncServletsKeepWorking(Container c) throws Exception {
        start(c);
        HttpResponse<byte[]> r = send("GET", "/async", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), UTF_8)).isEqualTo("async ok");
        assertThat(seen).containsEntry("/async isAsyncSupported", "true").doesNotContainKey("/async refused");
    }
}
