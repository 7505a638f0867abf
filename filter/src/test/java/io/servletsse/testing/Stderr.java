package io.servletsse.testing;

import io.servletsse.audit.AsyncAuditSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What code printed on System.err, where slf4j-simple (test scope) writes every log line, the audit log's too. */
public final class Stderr {
    private Stderr() {}

    public interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} with System.err captured and returns the output; audit lines (a background thread's) are flushed first. */
    public static String of(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
            AsyncAuditSink.flushAll();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
