package io.servletsse.agent.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** {@link TomcatWarIsolatedAgentIT} on Temurin 25, where the machine has it (skipped, not failed, elsewhere). */
class TomcatWarIsolatedAgentJdk25IT extends TomcatWarIsolatedAgentIT {
    @BeforeAll
    static void requireJdk25() {
        assumeTrue(Files.isExecutable(SampleAppAgentJdk25IT.TEMURIN_25.resolve("bin/java")),
                "no JDK 25 at " + SampleAppAgentJdk25IT.TEMURIN_25);
    }

    @Override
    Path jdk() {
        return SampleAppAgentJdk25IT.TEMURIN_25;
    }
}
