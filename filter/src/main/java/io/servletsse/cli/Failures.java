package io.servletsse.cli;

import io.servletsse.error.SseException;
import io.servletsse.format.FormatException;

/** Why an object is bad, in the report's words: the format's reason, or what the key source said. */
final class Failures {
    private Failures() {}

    /** A short machine-readable reason: a FormatException reason, KEY (the data key could not be had), IO. */
    static String reason(Exception e) {
        if (e instanceof FormatException f) {
            return f.reason().name();
        }
        if (e instanceof SseException) {
            return "KEY";
        }
        return e instanceof java.io.IOException ? "IO" : "ERROR";
    }

    /** The message for the operator (never key bytes: exceptions of the format and key layers carry none). */
    static String message(Exception e) {
        if (e instanceof FormatException f) {
            String m = f.getMessage();
            String prefix = f.reason().name() + ": ";
            return m.startsWith(prefix) ? m.substring(prefix.length()) : m; // the reason is reported on its own
        }
        if (e instanceof SseException s) {
            return "data key unavailable: " + s.ossCode() + " " + s.getMessage();
        }
        return e.toString();
    }
}
