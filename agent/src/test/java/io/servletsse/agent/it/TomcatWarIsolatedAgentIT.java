package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WAR shape, isolated: Tomcat and the servlet API in a child class loader the system loader
 * cannot see (as with Spring Boot's launcher or a standalone container), the servlet and the app's
 * body-reading filter in the webapp's own class loader, declared in web.xml.
 */
class TomcatWarIsolatedAgentIT extends TomcatUnderAgent {
    @Override
    List<String> launch(Path data) {
        String appClassPath = Paths.tomcatAppClassPath();
        String launcherOnly = appClassPath.split(File.pathSeparator)[0];
        return List.of("-cp", launcherOnly, "io.servletsse.agent.apps.IsolatedLauncher", appClassPath,
                "io.servletsse.agent.apps.TomcatWarApp", "--port", "0", "--data-dir", data.toString());
    }

    @Test
    void webXmlFilterReadsBodyFirst_itReadsCiphertext() throws Exception {
        assertThat(app.output()).contains("tomcat WAR, loader isolated-app")
                .contains("jakarta.servlet visible from the system loader: false");
        assertAppFilterReadsCiphertext();
    }
}
