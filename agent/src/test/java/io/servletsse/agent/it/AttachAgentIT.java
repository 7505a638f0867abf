package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Agent-Class}: the agent attached to a sample app that is already running and serving.
 * Its servlet classes are loaded and in use, so they are retransformed: uploads before the attach
 * are stored as sent, uploads after it are encrypted, and both read back intact.
 */
class AttachAgentIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void attachToRunningApp_laterUploadsEncryptedEarlierOnesStillServed() throws Exception {
        Path data = dir.resolve("data");
        Path config = Configs.sampleApp(dir, data.resolve("sse"));
        try (ForkedApp app = ForkedApp.start(ForkedApp.command(ForkedApp.currentJava(), List.of(),
                "-jar", Paths.sampleAppJar().toString(), "--no-filter", "--port", "0", "--data-dir", data.toString()), dir)) {
            Http http = new Http(URI.create(app.awaitListening() + "/"));
            assertThat(http.put("aes256", new byte[0]).statusCode()).isEqualTo(200);
            byte[] before = Objects.random(30_000, 51);
            assertThat(http.put("aes256/before.bin", before).statusCode()).isEqualTo(200);
            Objects.assertPlainOnDisk(data.resolve("objects/aes256/before.bin"), before);

            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            try {
                vm.loadAgent(Paths.agentJar().toString(), "config=" + config);
            } finally {
                vm.detach();
            }

            byte[] after = Objects.random(30_000, 52);
            Answer put = new Answer(http.put("aes256/after.bin", after));
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.sse()).isEqualTo("AES256");
            Objects.assertEncryptedOnDisk(data.resolve("objects/aes256/after.bin"), after);
            assertThat(http.get("aes256/after.bin").body()).isEqualTo(after);
            assertThat(http.get("aes256/before.bin").body()).isEqualTo(before);
            app.awaitOutput("[servlet-sse agent] started"); // printed by the app's output thread, read by ours
        }
    }

    /** The two things this test reads of a response. */
    private record Answer(int status, String sse) {
        Answer(java.net.http.HttpResponse<byte[]> r) {
            this(r.statusCode(), r.headers().firstValue("x-oss-server-side-encryption").orElse(null));
        }
    }
}
