package io.servletsse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.SseException;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * One run of the tool: its streams, environment and options, and the keys of the configuration,
 * opened on first use (inspect needs none). The configuration is found exactly as the filter finds
 * it ({@code --config}, system property {@code servletsse.config}, environment {@code SERVLETSSE_CONFIG})
 * and {@code --data-dir} overrides its data directory, so the tool opens the same keys.
 */
final class Session implements AutoCloseable {
    static final String DEFAULT_ROOT_KEY_VARIABLE = "SERVLET_SSE_ROOT_KEY";

    final Args args;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final Report report;
    final boolean terminal;
    private SseRuntime runtime;
    private RunLock lock;

    Session(Args args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        this.args = args;
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
        this.report = new Report(out, args.flag("--json"));
    }

    /** A progress meter on stderr when it is a terminal or {@code --progress} forces it. */
    Progress progress(long totalFiles, long totalBytes) {
        boolean on = !args.flag("--no-progress") && (args.flag("--progress") || terminal);
        return on ? new Progress(err, totalFiles, totalBytes) : Progress.OFF;
    }

    /** The filter's runtime for this configuration; a usage error (exit 2) if it cannot be opened. */
    SseRuntime runtime() {
        if (runtime == null) {
            SseConfig config = config();
            requireExistingKeys(config);
            try {
                runtime = SseRuntime.open(config, Clock.systemUTC());
            } catch (SseException | ConfigException e) {
                throw new UsageException("cannot open the keys of " + config.dataDirectory() + ": " + e.getMessage(), e);
            }
        }
        return runtime;
    }

    private SseConfig config() {
        String location = args.value("--config");
        if (location == null) {
            location = System.getProperty(ConfigLoader.SYSTEM_PROPERTY);
        }
        if (location == null) {
            location = env.get(ConfigLoader.ENVIRONMENT_VARIABLE);
        }
        if (location == null || location.isBlank()) {
            throw new UsageException("no configuration: give --config PATH (or set " + ConfigLoader.ENVIRONMENT_VARIABLE
                    + "), the same file the filter uses");
        }
        String dataDir = args.value("--data-dir");
        try {
            return ConfigLoader.load(location, dataDir == null ? null : Path.of(dataDir), Session.class.getClassLoader());
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /**
     * The filter generates a root key and master keys on first start; the tool never does. A wrong
     * {@code --data-dir} would otherwise get fresh keys that decrypt nothing, and an encrypt there
     * would make objects the real deployment cannot read.
     */
    private void requireExistingKeys(SseConfig config) {
        Path dir = config.dataDirectory();
        if (!Files.isDirectory(dir)) {
            throw new UsageException("the data directory " + dir + " does not exist (wrong --config or --data-dir?)");
        }
        JsonNode keys = config.keys();
        boolean keysSection = keys != null && keys.isObject();
        if (keysSection && keys.hasNonNull("rootKeyFile")) {
            return; // must exist and be valid: KeyServices fails closed otherwise
        }
        String variable = keysSection && keys.hasNonNull("rootKeyEnvironmentVariable")
                ? keys.get("rootKeyEnvironmentVariable").asText() : DEFAULT_ROOT_KEY_VARIABLE;
        String fromEnv = System.getenv(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return;
        }
        if (!Files.isRegularFile(dir.resolve("root.key"))) {
            throw new UsageException("no root key for " + dir + ": neither keys.rootKeyFile, nor $" + variable
                    + ", nor " + dir.resolve("root.key") + " (the tool never generates keys; start the filter once, "
                    + "or point --config/--data-dir at the deployment's state)");
        }
    }

    /** Where a run that changes objects records the temp file it is writing (cli-journal/temp). */
    TempLedger ledger() {
        return new TempLedger(runtime().config().dataDirectory());
    }

    /** Takes the deployment's run lock for a command that changes objects (held until the run ends). */
    void lockForChanges() {
        if (lock == null) {
            lock = RunLock.acquire(runtime().config().dataDirectory());
        }
    }

    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
