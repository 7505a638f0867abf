package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TomcatGapsAgentIT} with failMode=open: the filter ByteBuddy cannot instrument is loaded
 * unadvised (and reported), and its uploads are still encrypted, because the agent took over
 * earlier, in Tomcat's filter chain.
 */
class TomcatGapsOpenAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.tomcatAppClassPath(), "io.servletsse.agent.apps.TomcatFileApp",
                "--port", "0", "--data-dir", data.toString(), "--gaps");
    }

    @Override
    String agentOptions(Path config) {
        return "config=" + config + ",failMode=open";
    }

    @Test
    void filterTheAgentCannotInstrument_loadedAndItsUploadsStillEncrypted() throws Exception {
        assertThat(app.output())
                .contains("[servlet-sse agent] ERROR: could not instrument io.servletsse.agent.apps.GapFilters$HiddenFilter")
                .doesNotContain("refusing to load")
                .contains("hidden filter: loaded");
        byte[] body = Objects.random(30_000, 53);
        HttpResponse<byte[]> put = http.put("hidden/obj.bin", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("X-Stored-By")).hasValue("hidden");
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        Objects.assertEncryptedOnDisk(object("hidden/obj.bin"), body);
        assertThat(http.get("hidden/obj.bin").body()).isEqualTo(body);
    }

    @Test
    void lambdaFilterStoringTheUpload_storesItEncrypted() throws Exception {
        AgentGaps.assertLambdaFilterStoresCiphertext(this);
    }
}
