package io.servletsse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the tool tells the operator on stdout: one line per file or action, human-readable by
 * default, one JSON object per line with {@code --json}. Counts findings for the exit status.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean json;
    private int findings;

    Report(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** A line for the operator. {@code fields} is the JSON form; {@code human} the text form. */
    void line(Map<String, Object> fields, String human) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(fields));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(printable(human));
        }
        out.flush();
    }

    /** Control characters (a file name with a newline) shown as '?', so a name cannot forge report lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** As {@link #line}, and counts as a finding: the run ends with exit status 1. */
    void finding(Map<String, Object> fields, String human) {
        findings++;
        line(fields, human);
    }

    int findings() {
        return findings;
    }

    boolean json() {
        return json;
    }

    /** An ordered field map from alternating names and values (nulls are left out). */
    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
