package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sample app with its filter switched off ({@code --no-filter}), started with the agent: the
 * same end-to-end checks as the filter's tests. One JVM per JDK, shared by the tests of the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SampleAppUnderAgent {
    private Path dir;
    private Path data;
    ForkedApp app;
    private Http http;

    /** The JDK home to run the app on. */
    abstract Path jdk();

    /** The command after {@code java -javaagent:...}: by default {@code -jar} the sample app. */
    List<String> launch(Path data) {
        return List.of("-jar", Paths.sampleAppJar().toString(), "--no-filter", "--port", "0", "--data-dir", data.toString());
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "agent-sample-");
        data = dir.resolve("data");
        Path config = Configs.sampleApp(dir, data.resolve("sse"));
        app = ForkedApp.start(ForkedApp.command(ForkedApp.java(jdk()), List.of(Paths.javaagent("config=" + config)),
                launch(data).toArray(String[]::new)), dir);
        URI base = app.awaitListening();
        http = new Http(URI.create(base + "/"));
        for (String bucket : new String[] {"aes256", "sm4", "plain"}) {
            assertThat(http.put(bucket, new byte[0]).statusCode()).as("create bucket %s", bucket).isEqualTo(200);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aes256Upload_storedEncryptedAndReadBackWithSseHeaders() throws Exception {
        roundTrip("aes256", "AES256", 200_000, 1);
    }

    @Test
    void sm4Upload_storedEncryptedAndReadBackWithSseHeaders() throws Exception {
        roundTrip("sm4", "SM4", 70_001, 2);
    }

    @Test
    void noneBucket_storedAsUploaded() throws Exception {
        byte[] body = Objects.random(10_000, 3);
        HttpResponse<byte[]> put = http.put("plain/doc.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        Objects.assertPlainOnDisk(object("plain", "doc.bin"), body);
        assertThat(http.get("plain/doc.bin").body()).isEqualTo(body);
    }

    @Test
    void rangeOfEncryptedObject_returnsThosePlaintextBytes() throws Exception {
        byte[] body = Objects.random(300_000, 4);
        assertThat(http.put("aes256/ranged.bin", body).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> r = http.get("aes256/ranged.bin", "Range", "bytes=150000-150999");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 150000-150999/300000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 150_000, 151_000));

        HttpResponse<byte[]> tail = http.get("aes256/ranged.bin", "Range", "bytes=-10");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(body, body.length - 10, body.length));
    }

    @Test
    void headOfEncryptedObject_reportsPlaintextLength() throws Exception {
        byte[] body = Objects.random(123_457, 5);
        assertThat(http.put("sm4/head.bin", body).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> h = http.head("sm4/head.bin");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.headers().firstValueAsLong("Content-Length")).hasValue(123_457);
        assertThat(h.headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");
    }

    private void roundTrip(String bucket, String algorithm, int size, long seed) throws Exception {
        byte[] body = Objects.random(size, seed);
        HttpResponse<byte[]> put = http.put(bucket + "/dir/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue(algorithm);

        Objects.assertEncryptedOnDisk(object(bucket, "dir/obj.bin"), body);

        HttpResponse<byte[]> get = http.get(bucket + "/dir/obj.bin");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue(algorithm);
        assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(get.body()).isEqualTo(body);
    }

    private Path object(String bucket, String key) {
        return data.resolve("objects").resolve(bucket).resolve(key);
    }
}
