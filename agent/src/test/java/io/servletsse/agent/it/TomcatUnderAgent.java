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
 * An encryption-unaware Tomcat (or Jetty WAR) app (apps/) in its own JVM under the agent, every
 * bucket AES256 by default: the checks every deployment shape must pass. Subclasses say how the
 * app is launched and add the checks of their shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TomcatUnderAgent {
    Path data;
    Http http;
    ForkedApp app;

    /** The command after {@code java -javaagent:...}: class path, main class, its arguments. */
    abstract List<String> launch(Path data);

    /** The agent's options: by default the configuration only. */
    String agentOptions(Path config) {
        return "config=" + config;
    }

    /** The JDK home to run the app on: by default the one running the build. */
    Path jdk() {
        return Path.of(System.getProperty("java.home"));
    }

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "agent-tomcat-");
        data = dir.resolve("data");
        Path config = Configs.encryptEverything(dir, dir.resolve("sse"));
        app = ForkedApp.start(ForkedApp.command(ForkedApp.java(jdk()), List.of(Paths.javaagent(agentOptions(config))),
                launch(data).toArray(String[]::new)), dir);
        http = new Http(URI.create(app.awaitListening() + "/"));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void upload_storedEncryptedAndDownloadedAsUploaded() throws Exception {
        byte[] body = Objects.random(150_000, 21);
        HttpResponse<byte[]> put = http.put("bkt/a/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        Objects.assertEncryptedOnDisk(object("bkt/a/obj.bin"), body);

        HttpResponse<byte[]> get = http.get("bkt/a/obj.bin");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        assertThat(get.body()).isEqualTo(body);
    }

    @Test
    void rangeAndHead_answerInPlaintextTerms() throws Exception {
        byte[] body = Objects.random(200_000, 22);
        assertThat(http.put("bkt/ranged.bin", body).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> r = http.get("bkt/ranged.bin", "Range", "bytes=100000-100499");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 100000-100499/200000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 100_000, 100_500));

        HttpResponse<byte[]> h = http.head("bkt/ranged.bin");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.headers().firstValueAsLong("Content-Length")).hasValue(200_000);
        assertThat(h.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
    }

    @Test
    void uploadReadWithGetReader_storedEncryptedAndIntact() throws Exception {
        byte[] body = Objects.random(40_000, 23);
        assertThat(http.put("bkt/reader.bin", body, "X-Read-With", "reader").statusCode()).isEqualTo(200);
        Objects.assertEncryptedOnDisk(object("bkt/reader.bin"), body);
        assertThat(http.get("bkt/reader.bin").body()).isEqualTo(body);
    }

    /** For apps whose first filter reads the body: it must have read the encrypted object, not the upload. */
    void assertAppFilterReadsCiphertext() throws Exception {
        byte[] body = Objects.random(64_000, 41);
        HttpResponse<byte[]> put = http.put("bkt/filtered.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        // The encrypted object is longer than the upload (header and authentication tags).
        assertThat(put.headers().firstValue("X-App-Filter-Read")).isPresent();
        assertThat(Long.parseLong(put.headers().firstValue("X-App-Filter-Read").get())).isGreaterThan(body.length);
        Objects.assertEncryptedOnDisk(object("bkt/filtered.bin"), body);
        assertThat(http.get("bkt/filtered.bin").body()).isEqualTo(body);
    }

    Path object(String key) {
        return data.resolve("objects").resolve(key);
    }
}
