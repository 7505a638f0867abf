package io.servletsse.sample;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the HTTP tests: one app per test class, without the filter, on a free port, data in a temp dir. */
abstract class RunningApp {
    @TempDir
    static Path tempDir;

    static Path dataDir;
    static SampleApp.Running app;
    static TestClient client;

    @BeforeAll
    static void startApp() throws Exception {
        dataDir = tempDir.resolve("data");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(dataDir).withFilter(false));
        client = new TestClient(app);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }
}
