package io.servletsse.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the command tests: a fresh deployment (configuration, keys, storage) per test. */
abstract class CliCommandTest {
    @TempDir
    Path tmp;
    CliFixture fx;

    @BeforeEach
    void setUpDeployment() throws Exception {
        fx = new CliFixture(tmp);
    }

    @AfterEach
    void closeDeployment() {
        fx.close();
    }
}
