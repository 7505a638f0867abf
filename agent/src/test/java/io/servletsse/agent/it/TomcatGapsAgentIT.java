package io.servletsse.agent.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat with the two first filters the agent cannot advise (apps/GapFilters): a lambda,
 * which is covered because the agent takes over in Tomcat's {@code ApplicationFilterChain}, and a
 * filter ByteBuddy cannot instrument, which failMode=closed (the default) refuses to load.
 */
class TomcatGapsAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.tomcatAppClassPath(), "io.servletsse.agent.apps.TomcatFileApp",
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
