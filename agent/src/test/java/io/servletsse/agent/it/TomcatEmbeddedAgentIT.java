package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat 10.1 on a flat class path (the servlet API in the system class loader, next to
 * the agent), an ordinary servlet plus forward, include and multipart endpoints.
 */
class TomcatEmbeddedAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.tomcatAppClassPath(), "io.servletsse.agent.apps.TomcatFileApp",
                "--port", "0", "--data-dir", data.toString());
    }

    @Test
    void uploadThroughForward_encryptedExactlyOnce() throws Exception {
        byte[] body = Objects.random(90_000, 31);
        assertThat(http.put("forward/fwd/obj.bin", body).statusCode()).isEqualTo(200);
        Objects.assertEncryptedOnDisk(object("fwd/obj.bin"), body);
        // Encrypted twice, one decryption would hand back the inner ciphertext, not the upload.
        assertThat(http.get("fwd/obj.bin").body()).isEqualTo(body);
        assertThat(http.get("forward/fwd/obj.bin").body()).isEqualTo(body);
    }

    @Test
    void uploadThroughInclude_encryptedExactlyOnce() throws Exception {
        byte[] body = Objects.random(90_000, 32);
        assertThat(http.put("include/inc/obj.bin", body).statusCode()).isEqualTo(200);
        Objects.assertEncryptedOnDisk(object("inc/obj.bin"), body);
        assertThat(http.get("inc/obj.bin").body()).isEqualTo(body);
    }

    @Test
    void multipartUploadToEncryptedBucket_refusedAndNothingStored() throws Exception {
        String boundary = "sse-test-boundary";
        String secret = "top secret part content that must never reach the disk in plaintext";
        byte[] form = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"doc\"; filename=\"doc.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + secret + "\r\n"
                + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> post = http.post("form/upload", form, "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidArgument</Code>");
        assertThat(object("form/doc")).doesNotExist();
    }

    @Test
    void asyncServletUpload_refusedAndNothingStored() throws Exception {
        byte[] body = Objects.random(20_000, 33);
        HttpResponse<byte[]> put = http.put("async/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(500);
        assertThat(object("async/obj.bin")).doesNotExist();
    }
}
