package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WAR shape on Jetty 12 ee10, isolated: Jetty and the servlet API in a child class loader the
 * system loader cannot see, the servlet and the app's body-reading filter in the ee10
 * {@code WebAppContext}'s own class loader, declared in web.xml. Same checks as
 * {@link TomcatWarIsolatedAgentIT} (those of {@link TomcatUnderAgent} plus the app filter's).
 */
class JettyWarIsolatedAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        String appClassPath = Paths.jettyAppClassPath();
        String launcherOnly = appClassPath.split(File.pathSeparator)[0];
        return List.of("-cp", launcherOnly, "io.servletsse.agent.apps.IsolatedLauncher", appClassPath,
                "io.servletsse.agent.apps.JettyWarApp", "--port", "0", "--data-dir", data.toString());
    }

    @Test
    void webXmlFilterReadsBodyFirst_itReadsCiphertext() throws Exception {
        assertThat(app.output()).contains("jetty WAR, loader isolated-app")
                .contains("jakarta.servlet visible from the system loader: false")
                .contains("webapp FileServlet defined by WebAppClassLoader, BodyReadingFilter defined by WebAppClassLoader");
        assertAppFilterReadsCiphertext();
    }
}
