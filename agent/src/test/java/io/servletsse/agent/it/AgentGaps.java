package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** The checks of the {@code --gaps} apps (apps/GapFilters): the first filters the agent cannot advise. */
final class AgentGaps {
    private AgentGaps() {}

    /** A lambda filter storing the upload itself stored the encrypted object: the container's chain was advised. */
    static void assertLambdaFilterStoresCiphertext(TomcatUnderAgent t) throws Exception {
        byte[] body = Objects.random(70_000, 51);
        HttpResponse<byte[]> put = t.http.put("lambda/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("X-Stored-By")).hasValue("lambda");
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        Objects.assertEncryptedOnDisk(t.object("lambda/obj.bin"), body);
        HttpResponse<byte[]> get = t.http.get("lambda/obj.bin");
        assertThat(get.body()).isEqualTo(body);
        assertThat(get.headers().allValues("X-Passed-By")).containsExactly("lambda");
        // A Range GET calls the app twice (header probe, then the read); the filter runs on the read too.
        HttpResponse<byte[]> range = t.http.get("lambda/obj.bin", "Range", "bytes=65536-65635");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 65_536, 65_636));
        assertThat(range.headers().allValues("X-Passed-By")).containsExactly("lambda");
    }

    /** failMode=closed: the filter ByteBuddy could not instrument was never loaded, and said so. */
    static void assertHiddenFilterRefused(TomcatUnderAgent t) throws Exception {
        assertThat(t.app.output())
                .contains("[servlet-sse agent] ERROR: could not instrument io.servletsse.agent.apps.GapFilters$HiddenFilter")
                .contains("[servlet-sse agent] ERROR: refusing to load io.servletsse.agent.apps.GapFilters$HiddenFilter")
                .contains("hidden filter: not loaded: java.lang.ClassFormatError");
        // Its path is the file servlet's, encrypted as every other upload.
        byte[] body = Objects.random(30_000, 52);
        HttpResponse<byte[]> put = t.http.put("hidden/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("X-Stored-By")).isEmpty();
        Objects.assertEncryptedOnDisk(t.object("hidden/obj.bin"), body);
    }
}
