package io.servletsse.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.Crc64;
import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.testing.FilteredJetty;
import io.servletsse.testing.FilteredTomcat;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SSE headers go out with a successful upload whichever way the app commits its answer: the
 * filter sets them at the app's first step towards a body or when it returns (never with an error,
 * RequestContractTest), so each way of committing is a path that must not lose them. Tomcat's
 * include puts a response that drops headers under the filter's wrapper while it runs.
 */
class UploadCommitPathsTest {
    enum Container { JETTY, TOMCAT }

    @TempDir
    Path tmp;

    SseRuntime runtime;
    AutoCloseable server;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    /** Stores the body under the data directory, then answers as the last path segment says. */
    static final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Path docs;

        App(Path docs) {
            this.docs = docs;
        }

        @Override
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            if (req.getDispatcherType() == DispatcherType.INCLUDE) {
                resp.getOutputStream().write("included".getBytes(UTF_8));
                return;
            }
            if (req.getDispatcherType() == DispatcherType.FORWARD) {
                store(req);
                resp.setStatus(201);
                return;
            }
            String mode = req.getRequestURI().substring(req.getRequestURI().lastIndexOf('/') + 1);
            switch (mode) {
                case "stream-closed" -> {
                    store(req);
                    ServletOutputStream out = resp.getOutputStream();
                    out.write("ok".getBytes(UTF_8));
                    out.close();
                }
                case "writer-flushed" -> {
                    store(req);
                    PrintWriter w = resp.getWriter();
                    w.print("ok");
                    w.flush();
                }
                case "buffer-flushed" -> {
                    store(req);
                    resp.flushBuffer();
                }
                case "length-reached" -> {
                    store(req);
                    resp.setContentLength(2);
                    resp.getOutputStream().write("ok".getBytes(UTF_8));
                }
                case "length-zero" -> {
                    store(req);
                    resp.setContentLength(0);
                }
                case "created" -> {
                    store(req);
                    resp.setStatus(201);
                }
                case "stream-first" -> {
                    ServletOutputStream out = resp.getOutputStream();
                    store(req);
                    out.write("ok".getBytes(UTF_8));
                }
                case "forwarded" -> req.getRequestDispatcher("/vault/forward-target").forward(req, resp);
                case "included" -> {
                    store(req);
                    req.getRequestDispatcher("/vault/include-target").include(req, resp);
                }
                default -> resp.sendError(400);
            }
        }

        private void store(HttpServletRequest req) throws IOException {
            Files.write(docs.resolve(req.getRequestURI().substring(1).replace('/', '_')), req.getInputStream().readAllBytes());
        }
    }

    void start(Container c) throws Exception {
        runtime = SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(
                "{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}}"), tmp.resolve("sse")), Clock.systemUTC());
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        if (c == Container.JETTY) {
            FilteredJetty jetty = FilteredJetty.start(runtime, new ServletHolder(new App(docs)));
            port = jetty.port();
            server = jetty;
        } else {
            FilteredTomcat tomcat = FilteredTomcat.start(runtime, tmp.resolve("tomcat"), docs, ctx -> {
                Tomcat.addServlet(ctx, "app", new App(docs));
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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"JETTY,stream-closed", "JETTY,writer-flushed", "JETTY,buffer-flushed", "JETTY,length-reached",
            "JETTY,length-zero", "JETTY,created", "JETTY,stream-first", "JETTY,forwarded", "JETTY,included",
            "TOMCAT,stream-closed", "TOMCAT,writer-flushed", "TOMCAT,buffer-flushed", "TOMCAT,length-reached",
            "TOMCAT,length-zero", "TOMCAT,created", "TOMCAT,stream-first", "TOMCAT,forwarded", "TOMCAT,included"})
    void successfulUpload_carriesTheSseHeadersAndThePlaintextCrc(Container c, String mode) throws Exception {
        start(c);
        byte[] plain = ("the plaintext of " + mode).getBytes(UTF_8);
        Crc64 crc = new Crc64();
        crc.update(plain, 0, plain.length);

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/vault/" + mode))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(plain)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isBetween(200, 299);
        assertThat(r.headers().allValues(OssHeaders.SSE)).containsExactly("AES256");
        assertThat(r.headers().allValues(OssHeaders.CRC64)).containsExactly(crc.toUnsignedString());
        byte[] disk = Files.readAllBytes(tmp.resolve("docs/vault_" + (mode.equals("forwarded") ? "forward-target" : mode)));
        assertThat(Arrays.copyOf(disk, 4)).containsExactly(0x89, 'S', 'E', 'F');
    }
}
