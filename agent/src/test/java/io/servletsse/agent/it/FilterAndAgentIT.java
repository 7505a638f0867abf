package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in front of an app that also declares the servlet-sse filter (the sample app with its
 * filter on): the agent takes over at that filter, marks the request, and the app's filter then
 * passes it through, so every object is encrypted once.
 */
class FilterAndAgentIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void appWithItsOwnFilterUnderAgent_objectsEncryptedExactlyOnce() throws Exception {
        Path data = dir.resolve("data");
        Path config = Configs.sampleApp(dir, data.resolve("sse"));
        try (ForkedApp app = ForkedApp.start(ForkedApp.command(ForkedApp.currentJava(),
                List.of(Paths.javaagent("config=" + config)), "-jar", Paths.sampleAppJar().toString(),
                "--sse-config", config.toString(), "--port", "0", "--data-dir", data.toString()), dir)) {
            Http http = new Http(URI.create(app.awaitListening() + "/"));
            assertThat(app.output()).contains("filter: on");
            assertThat(http.put("aes256", new byte[0]).statusCode()).isEqualTo(200);
            byte[] body = Objects.random(100_000, 61);
            assertThat(http.put("aes256/once.bin", body).statusCode()).isEqualTo(200);

            Objects.assertEncryptedOnDisk(data.resolve("objects/aes256/once.bin"), body);
            // Encrypted twice, one decryption would return the inner ciphertext.
            assertThat(http.get("aes256/once.bin").body()).isEqualTo(body);
            HttpResponse<byte[]> r = http.get("aes256/once.bin", "Range", "bytes=5-9");
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 5, 10));
        }
    }
}
