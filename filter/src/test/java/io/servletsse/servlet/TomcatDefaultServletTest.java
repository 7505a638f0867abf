package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.FilteredTomcat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Random;
import org.apache.catalina.Wrapper;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter in front of Tomcat 10.1's own DefaultServlet with PUT enabled — an existing file
 * service nobody wrote for us: it stores PUT bodies as files and serves them with Range support
 * (and would use sendfile if the filter did not wrap the response).
 */
class TomcatDefaultServletTest {
    @TempDir
    Path tmp;

    FilteredTomcat tomcat;
    SseRuntime runtime;
    Path docs;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        Files.createDirectories(docs.resolve("vault"));
        Files.createDirectories(docs.resolve("open"));
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(
                "{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"},\"open\":{\"SSEAlgorithm\":\"None\"}}}"),
                tmp.resolve("sse"));
        runtime = SseRuntime.open(config, Clock.systemUTC());

        tomcat = FilteredTomcat.start(runtime, tmp.resolve("tomcat"), docs, ctx -> {
            Wrapper def = Tomcat.addServlet(ctx, "default", new DefaultServlet());
            def.addInitParameter("readonly", "false");
            def.addInitParameter("listings", "false");
            ctx.addServletMappingDecoded("/", "default");
            // An app filter after ours that marks every response it ran on (as a CORS or cache filter does).
            FilterDef marker = new FilterDef();
            marker.setFilterName("marker");
            marker.setFilter((rq, rs, chain) -> {
                ((jakarta.servlet.http.HttpServletResponse) rs).addHeader("X-Downstream-Filter", "ran");
                chain.doFilter(rq, rs);
            });
            ctx.addFilterDef(marker);
            FilterMap mm = new FilterMap();
            mm.setFilterName("marker");
            mm.addURLPattern("/*");
            ctx.addFilterMap(mm);
        });
        port = tomcat.port();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.close();
        runtime.close();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** DefaultServlet answers 409 to a PUT into a directory that does not exist: no SSE headers describe it. */
    @Test
    void putTheServletRefuses_carriesNoEncryptionHeaders() throws Exception {
        HttpResponse<byte[]> put = send("PUT", "/vault/no-such-dir/report.bin", "refused".getBytes());
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        assertThat(put.headers().firstValue("x-oss-hash-crc64ecma")).isEmpty();
        assertThat(docs.resolve("vault/no-such-dir")).doesNotExist();
    }

    @Test
    void putThroughDefaultServlet_storesCiphertext_andGetHeadRangeServePlaintext() throws Exception {
        byte[] plain = new byte[300_000];
        new Random(1).nextBytes(plain);
        HttpResponse<byte[]> put = send("PUT", "/vault/report.bin", plain);
        assertThat(put.statusCode()).isIn(201, 204);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");

        byte[] disk = Files.readAllBytes(docs.resolve("vault/report.bin"));
        assertThat(Arrays.copyOf(disk, 4)).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(disk.length).isGreaterThan(plain.length);

        HttpResponse<byte[]> get = send("GET", "/vault/report.bin", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(plain);
        assertThat(get.headers().firstValue("Content-Length")).hasValue("300000");
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");

        HttpResponse<byte[]> head = send("HEAD", "/vault/report.bin", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("300000");

        HttpResponse<byte[]> range = send("GET", "/vault/report.bin", null, "Range", "bytes=200000-200099");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 200000-200099/300000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(plain, 200000, 200100));
        // A Range GET calls the app twice (header probe, then the read): Tomcat's filter chain is
        // rewound for the read, so the filters after ours run on the response the client gets.
        assertThat(range.headers().allValues("X-Downstream-Filter")).containsExactly("ran");

        HttpResponse<byte[]> suffix = send("GET", "/vault/report.bin", null, "Range", "bytes=-10");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(plain, plain.length - 10, plain.length));
    }

    @Test
    void plainBucketAndLegacyFiles_passThroughDefaultServlet() throws Exception {
        byte[] plain = "just text".getBytes();
        assertThat(send("PUT", "/open/a.txt", plain).statusCode()).isIn(201, 204);
        assertThat(Files.readAllBytes(docs.resolve("open/a.txt"))).isEqualTo(plain);
        Files.write(docs.resolve("vault/old.txt"), "stored before encryption".getBytes());
        HttpResponse<byte[]> get = send("GET", "/vault/old.txt", null);
        assertThat(get.body()).isEqualTo("stored before encryption".getBytes());
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        HttpResponse<byte[]> range = send("GET", "/vault/old.txt", null, "Range", "bytes=7-12");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(new String(range.body())).isEqualTo("before");
        // A HEAD of a plaintext object calls the app twice (the probe, then the client's HEAD): the
        // filters after ours run on the second call too.
        HttpResponse<byte[]> head = send("HEAD", "/vault/old.txt", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("24");
        assertThat(head.headers().allValues("X-Downstream-Filter")).containsExactly("ran");
    }

    @Test
    void partialPut_isRefused() throws Exception {
        HttpResponse<byte[]> r = send("PUT", "/vault/p.bin", "abc".getBytes(), "Content-Range", "bytes 0-2/10");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body())).contains("<Code>InvalidArgument</Code>");
        assertThat(Files.exists(docs.resolve("vault/p.bin"))).isFalse();
    }
}
