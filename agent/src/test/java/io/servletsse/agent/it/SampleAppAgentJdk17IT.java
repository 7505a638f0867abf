package io.servletsse.agent.it;

import java.nio.file.Path;

/** {@link SampleAppUnderAgent} on the JDK that runs the build (17, the baseline). */
class SampleAppAgentJdk17IT extends SampleAppUnderAgent {
    @Override
    Path jdk() {
        return Path.of(System.getProperty("java.home"));
    }
}
