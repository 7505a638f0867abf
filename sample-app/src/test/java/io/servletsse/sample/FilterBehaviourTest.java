package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.servlet.SseFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter in front of the sample app's file servlet on Jetty 12, with a probe between them that
 * counts the bytes the app sends: what the filter costs the app, and how it behaves when the
 * configuration or the key store changes under it.
 */
class FilterBehaviourTest {
    @TempDir
    Path tmp;

    FilteredFileService service;
    final AtomicLong appBytes = new AtomicLong();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    /** Starts Jetty: SseFilter (configured by {@code json}), a byte counter, the sample app's servlet. */
    int start(String json) throws Exception {
        service = FilteredFileService.start(json, tmp.resolve("data"), Clock.systemUTC(), countingFilter());
        return service.port();
    }

    private Filter countingFilter() {
        return (req, res, chain) -> chain.doFilter(req, new HttpServletResponseWrapper((HttpServletResponse) res) {
            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                ServletOutputStream out = super.getOutputStream();
                return new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        appBytes.incrementAndGet();
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        appBytes.addAndGet(len);
                        out.write(b, off, len);
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(WriteListener l) {
                        out.setWriteListener(l);
                    }
                };
            }
        });
    }

    HttpResponse<byte[]> send(int port, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String config(String bucketRules) {
        return "{\"dataDirectory\":\"unused\",\"buckets\":{" + bucketRules + "}}";
    }

    @Test
    void rangeOfLastMiB_pullsOnlyTheSegmentsItNeedsFromTheApp() throws Exception {
        int port = start(config("\"big\":{\"SSEAlgorithm\":\"AES256\"}"));
        send(port, "PUT", "/big", null);
        int size = 32 << 20;
        byte[] plain = Reference.random(size, 21);
        assertThat(send(port, "PUT", "/big/o", plain).statusCode()).isEqualTo(200);

        appBytes.set(0);
        int mib = 1 << 20;
        HttpResponse<byte[]> r = send(port, "GET", "/big/o", null, "Range", "bytes=" + (size - mib) + "-");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(plain, size - mib, size));
        // The probe reads at most the header area (4 KiB); the range at most 1 MiB + 2 segments + tags.
        long segment = 65536 + 16;
        long allowed = 4096 + mib + 2 * segment + 16 * 16;
        assertThat(appBytes.get()).as("bytes the app sent for a 1 MiB range of a 32 MiB object").isLessThanOrEqualTo(allowed);
    }

    @Test
    void changingTheBucketRule_changesOnlyLaterUploads() throws Exception {
        int port = start(config("\"docs\":{\"SSEAlgorithm\":\"AES256\"}"));
        send(port, "PUT", "/docs", null);
        byte[] first = Reference.random(100_000, 22);
        assertThat(send(port, "PUT", "/docs/first", first).headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        stop();

        port = start(config("\"docs\":{\"SSEAlgorithm\":\"SM4\"}"));
        byte[] second = Reference.random(100_000, 23);
        assertThat(send(port, "PUT", "/docs/second", second).headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");
        HttpResponse<byte[]> a = send(port, "GET", "/docs/first", null);
        assertThat(a.body()).isEqualTo(first);
        assertThat(a.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        HttpResponse<byte[]> b = send(port, "GET", "/docs/second", null);
        assertThat(b.body()).isEqualTo(second);
        assertThat(b.headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");

        stop();
        port = start(config("\"docs\":{\"SSEAlgorithm\":\"None\"}"));
        byte[] third = Reference.random(1000, 24);
        assertThat(send(port, "PUT", "/docs/third", third).headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        assertThat(Files.readAllBytes(tmp.resolve("data/objects/docs/third"))).isEqualTo(third);
        assertThat(send(port, "GET", "/docs/first", null).body()).isEqualTo(first);
    }

    @Test
    void keyStoreUnavailable_failsTheUploadWithAnOssErrorAndTheAppGetsNothing() throws Exception {
        int port = start(config("\"vault\":{\"SSEAlgorithm\":\"SM4\"}"));
        send(port, "PUT", "/vault", null);
        // The SM4 master key ring does not exist yet; make its place unusable (a file, not a directory).
        Path ring = tmp.resolve("data/sse/sse-oss/SM4");
        Files.createDirectories(ring.getParent());
        Files.write(ring, new byte[] {1});
        appBytes.set(0);
        HttpResponse<byte[]> r = send(port, "PUT", "/vault/secret", "top secret".getBytes());
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(new String(r.body())).contains("<Code>").doesNotContain("top secret");
        assertThat(Files.exists(tmp.resolve("data/objects/vault/secret"))).isFalse();
        assertThat(appBytes.get()).as("the app answered nothing").isZero();
    }

    @Test
    void chunkedUploadOfUnknownLength_isEncryptedAndReadsBack() throws Exception {
        int port = start(config("\"chunks\":{\"SSEAlgorithm\":\"AES256\"}"));
        send(port, "PUT", "/chunks", null);
        byte[] plain = Reference.random(300_000, 25);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chunks/o"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(plain)))
                .build();
        assertThat(http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        byte[] disk = Files.readAllBytes(tmp.resolve("data/objects/chunks/o"));
        assertThat(disk[0]).isEqualTo((byte) 0x89);
        assertThat(send(port, "GET", "/chunks/o", null).body()).isEqualTo(plain);
    }

    @Test
    void conditionalGetWithTheClientsEtag_isNotModified() throws Exception {
        int port = start(config("\"etags\":{\"SSEAlgorithm\":\"AES256\"}"));
        send(port, "PUT", "/etags", null);
        send(port, "PUT", "/etags/o", "hello".getBytes());
        HttpResponse<byte[]> first = send(port, "GET", "/etags/o", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).endsWith("-sse\"");
        HttpResponse<byte[]> again = send(port, "GET", "/etags/o", null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        // The app's 304 carries the CRC-64 of what it stores (ciphertext): never shown as the object's.
        assertThat(again.headers().firstValue("x-oss-hash-crc64ecma")).isEmpty();
        HttpResponse<byte[]> head = send(port, "HEAD", "/etags/o", null, "If-None-Match", etag);
        assertThat(head.statusCode()).isEqualTo(304);
        assertThat(head.headers().firstValue("x-oss-hash-crc64ecma")).isEmpty();
        HttpResponse<byte[]> changed = send(port, "GET", "/etags/o", null, "If-None-Match", "\"other-sse\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo("hello".getBytes());
    }

    @Test
    void refusedLargeUpload_clientReadsTheOssErrorRatherThanABrokenPipe() throws Exception {
        int port = start(config("\"big\":{\"SSEAlgorithm\":\"AES256\"}"));
        send(port, "PUT", "/big", null);
        byte[] body = Reference.random(8 << 20, 26);
        // Like the OSS SDKs: no Expect: 100-continue, the whole body is written before reading.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            java.io.OutputStream out = s.getOutputStream();
            java.io.InputStream in = s.getInputStream();
            out.write(("PUT /big/refused HTTP/1.1\r\nHost: 127.0.0.1\r\nx-oss-server-side-encryption: DES\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int off = 0; off < body.length; off += 65536) {
                out.write(body, off, 65536); // a broken pipe here is what the client must not see
            }
            out.flush();
            String response = readResponse(in);
            assertThat(response).startsWith("HTTP/1.1 400").contains("<Code>InvalidEncryptionAlgorithmError</Code>");
            // The drained body leaves the connection in step: a keep-alive client's next request is answered on it.
            out.write("GET /big/refused HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 404");
        }
        assertThat(Files.exists(tmp.resolve("data/objects/big/refused"))).isFalse();
    }

    /** One HTTP/1.1 response read by its Content-Length (the connection stays open, so EOF never comes). */
    private static String readResponse(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        while (!head.toString(java.nio.charset.StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 16_384) {
                throw new IOException("no complete response head: " + head.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\nContent-Length: *(\\d+)\r\n").matcher(text);
        assertThat(length.find()).as("a Content-Length in %s", text).isTrue();
        return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
