package io.servletsse.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter against the Servlet idioms of an app written without it in mind: a header the filter
 * took away reads as absent ({@code getDateHeader} returns -1, as the common idiom expects), and the
 * usual "not committed yet: reset and send an error page" does not hide a damaged object's OSS error.
 */
class RequestContractTest {
    @TempDir
    Path tmp;

    SseRuntime runtime;
    FilteredJetty server;
    final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        runtime = SseRuntime.open(ConfigLoader.parse(ConfigLoader.json().readTree(
                "{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}}"), tmp.resolve("sse")), Clock.systemUTC());
        server = FilteredJetty.start(runtime, new ServletHolder(new HttpServlet() {
            @Override
            protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] body = req.getInputStream().readAllBytes();
                if (req.getRequestURI().endsWith("/not-found")) {
                    resp.sendError(404, "no such bucket"); // the app's own refusal, after reading the body
                    return;
                }
                if (req.getRequestURI().endsWith("/conflict")) {
                    resp.setStatus(409);
                    resp.setContentType("application/xml");
                    resp.getOutputStream().write("<Error><Code>FileAlreadyExists</Code></Error>".getBytes(UTF_8));
                    return;
                }
                stored.put(req.getRequestURI(), body);
            }

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                // The idiom of many file servlets: no try/catch, -1 means "not sent".
                // An IllegalArgumentException here (the filter removed the header) was a 500 for every Range GET.
                long since = req.getDateHeader("If-Modified-Since");
                long ifRange = req.getDateHeader("If-Range");
                if (since > System.currentTimeMillis() || ifRange > System.currentTimeMillis()) {
                    resp.sendError(400, "a date from the future"); // what an app might do with them
                    return;
                }
                byte[] b = stored.get(req.getRequestURI());
                String range = req.getHeader("Range");
                if (range == null) {
                    resp.setContentLength(b.length);
                    try {
                        resp.getOutputStream().write(b);
                    } catch (IOException e) {
                        // The common servlet error handling: not committed yet, so answer an error page.
                        if (!resp.isCommitted()) {
                            resp.reset();
                            resp.sendError(500, "could not send the file");
                            return;
                        }
                        throw e;
                    }
                    return;
                }
                String[] ab = range.substring("bytes=".length()).split("-");
                int first = Integer.parseInt(ab[0]);
                int last = ab.length < 2 || ab[1].isEmpty() ? b.length - 1 : Math.min(Integer.parseInt(ab[1]), b.length - 1);
                resp.setStatus(206);
                resp.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + b.length);
                resp.setContentLength(last - first + 1);
                resp.getOutputStream().write(b, first, last - first + 1);
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    @Test
    void aRangeGet_whoseConditionalsTheFilterRemoved_readsThemAsAbsent() throws Exception {
        byte[] plain = new byte[200_000];
        new Random(3).nextBytes(plain);
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/vault/o");
        http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(plain)).build(),
                HttpResponse.BodyHandlers.discarding());

        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Range", "bytes=100000-100099")
                .header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(plain, 100_000, 100_100));
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 100000-100099/200000");
    }

    /** OSS describes a stored object, never an error: an upload the app refuses gets no SSE headers and no CRC-64. */
    @Test
    void anUploadTheAppRefuses_carriesNoEncryptionHeaders() throws Exception {
        String base = "http://127.0.0.1:" + server.port() + "/vault/";
        for (String name : new String[] {"not-found", "conflict", "stored"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + name))
                    .PUT(HttpRequest.BodyPublishers.ofString("the plaintext of " + name)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean stored = name.equals("stored");
            assertThat(r.statusCode()).as(name).isEqualTo(stored ? 200 : name.equals("conflict") ? 409 : 404);
            assertThat(r.headers().firstValue(OssHeaders.SSE)).as(name)
                    .isEqualTo(stored ? Optional.of("AES256") : Optional.empty());
            assertThat(r.headers().firstValue(OssHeaders.CRC64).isPresent()).as(name).isEqualTo(stored);
        }
        assertThat(get(base + "stored").body()).isEqualTo("the plaintext of stored");
        assertThat(this.stored).containsOnlyKeys("/vault/stored");
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A stored object that fails authentication before a byte went out: OSS's 500, whatever the app does about it. */
    @Test
    void aDamagedObject_whoseAppAnswersItsOwnErrorPage_isAnOss500() throws Exception {
        byte[] plain = new byte[70_000]; // two segments: the first is opened while the app is still writing
        new Random(4).nextBytes(plain);
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/vault/damaged");
        http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(plain)).build(),
                HttpResponse.BodyHandlers.discarding());
        stored.get("/vault/damaged")[5000] ^= 1; // inside the first segment (the header is at most 4096 bytes)

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(r.body()).contains("<Code>InternalError</Code>").doesNotContain("could not send the file");
    }
}
