package io.servletsse.agent.inst.core;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the JVM's one runtime from the configuration, inside the core loader (called reflectively). */
public final class CoreStart {
    private CoreStart() {}

    /**
     * Loads and validates the configuration and opens its keys now, so that a bad configuration
     * stops the agent at start-up rather than at the first request. {@code classpath:} locations are
     * read from the application's class path.
     */
    public static Object open(String location) {
        SseConfig config = ConfigLoader.load(location, null, ClassLoader.getSystemClassLoader());
        SseRuntime runtime = SseRuntime.open(config, Clock.systemUTC());
        Logger log = LoggerFactory.getLogger(CoreStart.class);
        log.info("servlet-sse agent: encrypting under {} (data directory {})", config.pathPrefix(), config.dataDirectory());
        return runtime;
    }

    /** Logs a start-up refusal through the agent's log as well as the agent's own stderr line. */
    public static void logError(String message) {
        LoggerFactory.getLogger(CoreStart.class).error(message);
    }
}
