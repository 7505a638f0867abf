package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies are streamed, never held: the app runs in its own JVM with a 32 MiB heap and moves an
 * object three times that size both ways. Neither side ever holds the object in memory.
 */
class SmallHeapTest {
    private static final long SIZE = 64L * 1024 * 1024 + 5; // twice the heap
    private static final Pattern PORT = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    Path tempDir;

    private Process app;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startInSmallHeap() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), SampleApp.class.getName(),
                "--port", "0", "--no-filter", "--data-dir", tempDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String line = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = PORT.matcher(line == null ? "" : line);
        assertThat(m.find()).as("listening line: %s", line).isTrue();
        base = "http://127.0.0.1:" + m.group(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        app.destroy();
        app.waitFor();
    }

    @Test
    void objectTwiceTheHeap_roundTripsIntact() throws Exception {
        send(HttpRequest.newBuilder(URI.create(base + "/big")).PUT(HttpRequest.BodyPublishers.noBody()));
        MessageDigest sent = MessageDigest.getInstance("MD5");

        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/big/object.bin"))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new SeededStream(SIZE, sent)), SIZE)));
        HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(URI.create(base + "/big/object.bin"))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("MD5");
        long length = 0;
        try (InputStream in = get.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; length += n) {
                received.update(buf, 0, n);
            }
        }

        String sentMd5 = HexFormat.of().withUpperCase().formatHex(sent.digest());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).hasValue("\"" + sentMd5 + "\"");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(length).isEqualTo(SIZE);
        assertThat(HexFormat.of().withUpperCase().formatHex(received.digest())).isEqualTo(sentMd5);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code size} pseudo-random bytes, generated on demand, digested as they are read. */
    private static final class SeededStream extends InputStream {
        private final Random random = new Random(42);
        private final MessageDigest digest;
        private long remaining;

        SeededStream(long size, MessageDigest digest) {
            this.remaining = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }
    }
}
