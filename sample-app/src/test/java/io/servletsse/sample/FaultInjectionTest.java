package io.servletsse.sample;

import static io.servletsse.sample.ReliabilitySupport.filesContaining;
import static io.servletsse.sample.ReliabilitySupport.markedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.engine.SseRuntime;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults under the filter, on real Jetty over sockets: the host app failing mid-upload and
 * mid-download (exception, 500, "No space left on device"), clients aborting mid-transfer, the
 * filter's key store pulled away mid-run, its data directory unusable, its rule store corrupted.
 * The invariant checked after every fault: no plaintext of an encrypted bucket's upload on disk, and
 * every download that completes equals the upload (a failed one is an error or an aborted stream).
 */
class FaultInjectionTest {
    @TempDir
    Path tmp;

    FilteredFileService service;
    Path data;
    int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final AtomicInteger FAULTS = new AtomicInteger();
    /** Outcomes seen under faults, for docs/RELIABILITY.md. */
    static final java.util.Map<String, AtomicInteger> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();

    static void outcome(String what) {
        OUTCOMES.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    /** What the app (below the filter) does wrong, for the next request. */
    enum Fault { NONE, THROW_READING_UPLOAD, DISK_FULL_READING_UPLOAD, ANSWER_500, FAIL_WRITING_DOWNLOAD }

    volatile Fault fault = Fault.NONE;
    volatile long faultAfterBytes;

    static final String CONFIG = "{\"dataDirectory\":\"unused\",\"buckets\":{\"plain\":{\"SSEAlgorithm\":\"None\"},"
            + "\"aes256\":{\"SSEAlgorithm\":\"AES256\"},\"sm4\":{\"SSEAlgorithm\":\"SM4\"},\"kms\":{\"SSEAlgorithm\":\"KMS\"},\"kms2\":{\"SSEAlgorithm\":\"KMS\",\"KMSDataEncryption\":\"SM4\"}},"
            + "\"keys\":{\"kms\":{\"backend\":\"local\"}}}";

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @AfterAll
    static void report() {
        System.out.println("reliability-stats: faults injected=" + FAULTS.get() + " outcomes=" + OUTCOMES);
    }

    void start() throws Exception {
        data = tmp.resolve("data");
        service = FilteredFileService.start(CONFIG, data, Clock.systemUTC(), faultFilter());
        port = service.port();
        for (String b : new String[] {"plain", "aes256", "sm4", "kms", "kms2"}) {
            assertThat(send("PUT", "/" + b, null).statusCode()).isEqualTo(200);
        }
    }

    private Filter faultFilter() {
        return (req, res, chain) -> {
            Fault f = fault;
            long after = faultAfterBytes;
            HttpServletRequest r = (HttpServletRequest) req;
            HttpServletResponse s = (HttpServletResponse) res;
            switch (f) {
                case NONE -> chain.doFilter(req, res);
                case ANSWER_500 -> {
                    r.getInputStream().readNBytes((int) Math.min(after, Integer.MAX_VALUE));
                    s.sendError(500, "the app broke");
                }
                case THROW_READING_UPLOAD, DISK_FULL_READING_UPLOAD -> chain.doFilter(new HttpServletRequestWrapper(r) {
                    @Override
                    public ServletInputStream getInputStream() throws IOException {
                        return failingInput(super.getInputStream(), after, f);
                    }
                }, res);
                case FAIL_WRITING_DOWNLOAD -> chain.doFilter(req, new HttpServletResponseWrapper(s) {
                    @Override
                    public ServletOutputStream getOutputStream() throws IOException {
                        return failingOutput(super.getOutputStream(), after);
                    }
                });
            }
        };
    }

    private static ServletInputStream failingInput(ServletInputStream in, long after, Fault f) {
        AtomicLong read = new AtomicLong();
        return new ServletInputStream() {
            private void check(long n) throws IOException {
                if (read.addAndGet(n) > after) {
                    if (f == Fault.DISK_FULL_READING_UPLOAD) {
                        throw new IOException("No space left on device");
                    }
                    throw new IllegalStateException("injected: the app crashed mid-upload");
                }
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                check(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                check(Math.max(n, 0));
                return n;
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener l) {
                in.setReadListener(l);
            }
        };
    }

    private static ServletOutputStream failingOutput(ServletOutputStream out, long after) {
        AtomicLong written = new AtomicLong();
        return new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                long before = written.getAndAdd(len);
                if (before + len > after) {
                    int ok = (int) Math.max(0, after - before);
                    out.write(b, off, ok);
                    throw new IOException("injected: the app's disk failed mid-download");
                }
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

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A GET whose body, if the exchange completes with 200, must equal {@code expected}; else it must fail. */
    void assertDownloadIsRightOrFails(String path, byte[] expected) {
        try {
            HttpResponse<byte[]> r = send("GET", path, null);
            if (r.statusCode() == 200) {
                assertThat(r.body()).as("a completed download of %s", path).isEqualTo(expected);
                outcome("download complete and equal");
            } else {
                assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
                assertThat(r.body().length).isLessThan(expected.length == 0 ? 1 << 16 : expected.length);
                outcome("download answered " + r.statusCode());
            }
        } catch (Exception e) {
            assertThat(e).isInstanceOf(IOException.class); // aborted: the client can tell
            outcome("download aborted (client IOException)");
        }
    }

    void assertNoPlaintext(String marker) throws IOException {
        assertThat(filesContaining(data, marker.getBytes(StandardCharsets.US_ASCII))).as("plaintext on disk").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"THROW_READING_UPLOAD", "DISK_FULL_READING_UPLOAD", "ANSWER_500"})
    void appFailingMidUpload_storesNothing_andTheClientGetsAnError(String which) throws Exception {
        start();
        for (String bucket : new String[] {"aes256", "sm4", "kms"}) {
            for (long after : new long[] {0, 1, 1024, 65_536 + 40, 300_000}) {
                FAULTS.incrementAndGet();
                String marker = "UPLOAD-FAULT-" + which + "-" + bucket + "-" + after + "-";
                byte[] body = markedBody(marker, 500_000);
                fault = Fault.valueOf(which);
                faultAfterBytes = after;
                int status;
                try {
                    status = send("PUT", "/" + bucket + "/victim", body).statusCode();
                } catch (IOException e) {
                    status = -1; // the connection was cut: also an error the client sees
                }
                fault = Fault.NONE;
                outcome("upload with app fault answered " + status);
                assertThat(status < 200 || status > 299).as("%s after %d bytes answered %d", which, after, status).isTrue();
                assertNoPlaintext(marker);
                assertThat(send("GET", "/" + bucket + "/victim", null).statusCode()).isEqualTo(404);
            }
        }
        // Healthy again: an upload and its download.
        byte[] ok = markedBody("AFTER-FAULTS-", 100_000);
        assertThat(send("PUT", "/aes256/ok", ok).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/aes256/ok", null).body()).isEqualTo(ok);
        assertNoPlaintext("AFTER-FAULTS-");
    }

    @Test
    void appFailingMidDownload_abortsTheResponse_neverCompletesItWithWrongBytes() throws Exception {
        start();
        byte[] body = Reference.random(1_000_000, 7);
        for (String bucket : new String[] {"aes256", "sm4", "kms", "plain"}) {
            assertThat(send("PUT", "/" + bucket + "/big", body).statusCode()).isEqualTo(200);
        }
        for (String bucket : new String[] {"aes256", "sm4", "kms", "plain"}) {
            for (long after : new long[] {0, 3, 100, ObjectHeader.DEFAULT_LENGTH + 10, 65_536 + 1024 + 16, 600_000}) {
                FAULTS.incrementAndGet();
                fault = Fault.FAIL_WRITING_DOWNLOAD;
                faultAfterBytes = after;
                assertDownloadIsRightOrFails("/" + bucket + "/big", body);
                // A Range read fails the same way.
                try {
                    HttpResponse<byte[]> r = send("GET", "/" + bucket + "/big", null, "Range", "bytes=500000-599999");
                    if (r.statusCode() == 206) {
                        assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 500_000, 600_000));
                        outcome("range download complete and equal");
                    } else {
                        assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
                        outcome("range download answered " + r.statusCode());
                    }
                } catch (IOException e) {
                    outcome("range download aborted (client IOException)");
                }
                fault = Fault.NONE;
            }
            assertThat(send("GET", "/" + bucket + "/big", null).body()).isEqualTo(body);
        }
    }

    @Test
    void clientsAbortingMidUploadAndMidDownload_leaveNoPlaintext_andTheServerServes() throws Exception {
        start();
        for (int i = 0; i < 10; i++) {
            FAULTS.incrementAndGet();
            String marker = "ABORTED-UPLOAD-" + i + "-";
            byte[] part = markedBody(marker, 100_000 * (i + 1));
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write(("PUT /aes256/aborted-" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(part);
                out.flush();
            } // closed with most of the body unsent
        }
        byte[] big = Reference.random(3_000_000, 11);
        assertThat(send("PUT", "/aes256/big", big).statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            FAULTS.incrementAndGet();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /aes256/big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                in.readNBytes(1000 + i * 50_000);
            } // closed mid-body
        }
        // Bounded wait for the server to notice the aborted uploads, then check.
        for (int i = 0; i < 100 && !filesContaining(data.resolve("tmp"), new byte[] {(byte) 0x89, 'S', 'E', 'F'}).isEmpty(); i++) {
            Thread.sleep(100);
        }
        for (int i = 0; i < 10; i++) {
            assertNoPlaintext("ABORTED-UPLOAD-" + i + "-");
            assertThat(send("GET", "/aes256/aborted-" + i, null).statusCode()).isEqualTo(404);
        }
        assertThat(send("GET", "/aes256/big", null).body()).isEqualTo(big);
    }

    /**
     * The filter's key material pulled away mid-run: first the built-in KMS's directory (a KMS
     * outage), then the whole filter data directory (service master keys and rule store too).
     * Uploads fail cleanly or stay encrypted; downloads are right or fail.
     */
    @ParameterizedTest(name = "{0} pulled")
    @ValueSource(strings = {"sse/kms", "sse"})
    void keyStorePulledMidRun_noPlaintext_noWrongBytes(String pulled) throws Exception {
        start();
        byte[] before = markedBody("BEFORE-OUTAGE-", 200_000);
        for (String bucket : new String[] {"aes256", "sm4", "kms"}) {
            assertThat(send("PUT", "/" + bucket + "/before", before).statusCode()).isEqualTo(200);
        }
        Path dir = data.resolve(pulled);
        assertThat(dir).isDirectory();
        Path moved = tmp.resolve("pulled");
        Files.move(dir, moved);
        Files.writeString(dir, "not a directory"); // nothing can be created in its place either
        try {
            // kms2 was never used: its first upload needs key material the store cannot give now.
            for (String bucket : new String[] {"aes256", "sm4", "kms", "kms2"}) {
                FAULTS.incrementAndGet();
                String marker = "DURING-OUTAGE-" + bucket + "-";
                byte[] body = markedBody(marker, 200_000);
                HttpResponse<byte[]> put = send("PUT", "/" + bucket + "/during", body);
                outcome("upload with " + pulled + " pulled (" + bucket + ") answered " + put.statusCode());
                if (put.statusCode() >= 500) {
                    assertThat(new String(put.body(), StandardCharsets.UTF_8)).containsPattern("<Code>(InternalError|ServiceUnavailable)</Code>");
                }
                assertThat(put.statusCode()).isIn(200, 500, 503);
                assertNoPlaintext(marker);
                if (put.statusCode() == 200) {
                    assertDownloadIsRightOrFails("/" + bucket + "/during", body);
                } else {
                    assertThat(send("GET", "/" + bucket + "/during", null).statusCode()).isEqualTo(404);
                }
                if (!bucket.equals("kms2")) {
                    assertDownloadIsRightOrFails("/" + bucket + "/before", before);
                }
            }
            if (pulled.equals("sse/kms")) {
                assertThat(OUTCOMES).containsKey("upload with sse/kms pulled (kms2) answered 503");
            }
        } finally {
            Files.delete(dir);
            Files.move(moved, dir);
        }
        for (String bucket : new String[] {"aes256", "sm4", "kms"}) {
            assertThat(send("GET", "/" + bucket + "/before", null).body()).isEqualTo(before);
        }
        byte[] after = markedBody("AFTER-OUTAGE-", 100_000);
        assertThat(send("PUT", "/kms2/after", after).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/kms2/after", null).body()).isEqualTo(after);
        assertNoPlaintext("BEFORE-OUTAGE-");
        assertNoPlaintext("AFTER-OUTAGE-");
    }

    @Test
    void dataDirectoryUnusable_failsAtStart_withAClearError() throws Exception {
        FAULTS.incrementAndGet();
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(CONFIG), file.resolve("sse"));
        assertThatThrownBy(() -> SseRuntime.open(config, Clock.systemUTC()).close())
                .hasMessageContaining(file.toString());
    }

    @Test
    void corruptRuleStore_failsAtStart_andMidRunNeverFallsBackToNone() throws Exception {
        start();
        assertThat(send("PUT", "/rules", null).statusCode()).isEqualTo(200);
        String rule = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
        assertThat(send("PUT", "/rules?encryption", rule.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        Path store = data.resolve("sse").resolve("bucket-rules.json");
        assertThat(store).exists();
        for (String garbage : new String[] {"{not json", "", "[]", "{\"version\":99}", "\u0000\u0001\u0002"}) {
            FAULTS.incrementAndGet();
            Files.writeString(store, garbage);
            Files.setLastModifiedTime(store, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + FAULTS.get() * 1000L));
            String marker = "CORRUPT-RULES-" + FAULTS.get() + "-";
            HttpResponse<byte[]> put = send("PUT", "/rules/obj", markedBody(marker, 10_000));
            assertThat(put.statusCode()).as("upload with a corrupt rule store (%s)", garbage).isGreaterThanOrEqualTo(500);
            outcome("upload with a corrupt rule store answered " + put.statusCode());
            // An OSS error body, not the container's bare 500 (regression: FileRuleStore at request time).
            assertThat(new String(put.body(), StandardCharsets.UTF_8)).contains("<Code>InternalError</Code>");
            assertNoPlaintext(marker);
            // At start: a clear error naming the file, not a filter that runs with no rules.
            SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(CONFIG), data.resolve("sse"));
            assertThatThrownBy(() -> SseRuntime.open(config, Clock.systemUTC()).close())
                    .hasMessageContaining("bucket-rules.json");
        }
    }
}
