package io.servletsse.agent.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** {@link SampleAppUnderAgent} on Temurin 25, where the machine has it (skipped, not failed, elsewhere). */
class SampleAppAgentJdk25IT extends SampleAppUnderAgent {
    static final Path TEMURIN_25 = Path.of(System.getProperty("servletsse.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    @BeforeAll
    static void requireJdk25() {
        assumeTrue(Files.isExecutable(TEMURIN_25.resolve("bin/java")), "no JDK 25 at " + TEMURIN_25);
    }

    @Override
    Path jdk() {
        return TEMURIN_25;
    }
}
