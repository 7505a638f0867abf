package io.servletsse.agent.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat whose own first filter reads the whole body before the servlet: the agent takes
 * over at that filter, so what the filter reads is already the encrypted object.
 */
class TomcatAppFilterAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.tomcatAppClassPath(), "io.servletsse.agent.apps.TomcatFileApp",
                "--port", "0", "--data-dir", data.toString(), "--app-filter");
    }

    @Test
    void appFilterReadsBodyFirst_itReadsCiphertextAndTheObjectIsStoredEncrypted() throws Exception {
        assertAppFilterReadsCiphertext();
    }
}
