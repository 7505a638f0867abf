package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jetty 12 ee10 in a child class loader (parent: the platform loader), as a launcher such as
 * Spring Boot's runs an app: the sample app jar, with its Jetty, servlet API, and its own copies of
 * the filter, Jackson, BouncyCastle and SLF4J, is invisible to the system loader that holds the agent.
 * The agent's jakarta layer is defined next to that loader, and its own filter classes win over the
 * app's copies.
 */
class SampleAppIsolatedAgentIT extends SampleAppUnderAgent {
    @Override
    Path jdk() {
        return Path.of(System.getProperty("java.home"));
    }

    @Override
    List<String> launch(Path data) {
        return List.of("-cp", Paths.testClasses().toString(), "io.servletsse.agent.apps.IsolatedLauncher",
                Paths.sampleAppJar().toString(), "io.servletsse.sample.SampleApp",
                "--no-filter", "--port", "0", "--data-dir", data.toString());
    }

    @Test
    void appRunsInTheIsolatedLoader_servletApiInvisibleToTheAgentsLoader() {
        assertThat(app.output()).contains("[isolated-launcher] io.servletsse.sample.SampleApp in loader isolated-app; "
                + "jakarta.servlet visible from the system loader: false");
    }
}
