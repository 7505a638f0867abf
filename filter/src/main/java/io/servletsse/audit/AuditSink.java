package io.servletsse.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where audit lines go: one complete JSON object per call, no trailing newline. */
@FunctionalInterface
public interface AuditSink {
    /** The SLF4J logger that audit lines are written to, at INFO. */
    String LOGGER_NAME = "servletsse.audit";

    void write(String jsonLine);

    /**
     * The lines written since the last call are a batch that is complete: a sink that gathers
     * lines writes them now. Called by {@link AsyncAuditSink} after each batch and before it
     * reports a {@link AsyncAuditSink#flush()} done.
     */
    default void endOfBatch() {
    }

    /** The production sink: SLF4J logger {@value #LOGGER_NAME}, INFO level, the line as the message. */
    static AuditSink slf4j() {
        Logger log = LoggerFactory.getLogger(LOGGER_NAME);
        return line -> log.info("{}", line);
    }
}
