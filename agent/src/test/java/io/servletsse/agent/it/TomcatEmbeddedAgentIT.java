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
    void multipartUploadReadWithGetParts_filePartStoredEncrypted() throws Exception {
        String boundary = "sse-test-boundary-7c1f";
        byte[] file = Objects.random(20_000, 34);
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"doc\"; filename=\"doc.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(file);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> post = http.post("form/upload", form.toByteArray(),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertThat(post.statusCode()).isEqualTo(200);
        // The app's getParts() handed it the encrypted object, which is what it stored.
        Objects.assertEncryptedOnDisk(object("form/doc"), file);
    }

    @Test
    void asyncServletUpload_refusedAndNothingStored() throws Exception {
        byte[] body = Objects.random(20_000, 33);
        HttpResponse<byte[]> put = http.put("async/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(500);
        assertThat(object("async/obj.bin")).doesNotExist();
    }
}
