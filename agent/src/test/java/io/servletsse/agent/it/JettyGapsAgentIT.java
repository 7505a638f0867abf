package io.servletsse.agent.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TomcatGapsAgentIT} on embedded Jetty 12 ee10: there the agent takes over in {@code ServletHandler$Chain}. */
class JettyGapsAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.jettyAppClassPath(), "io.servletsse.agent.apps.JettyFileApp",
                "--port", "0", "--data-dir", data.toString(), "--gaps");
    }

    @Test
    void lambdaFilterStoringTheUpload_storesItEncrypted() throws Exception {
        AgentGaps.assertLambdaFilterStoresCiphertext(this);
    }

    @Test
    void filterTheAgentCannotInstrument_isNotLoaded() throws Exception {
        AgentGaps.assertHiddenFilterRefused(this);
    }
}
