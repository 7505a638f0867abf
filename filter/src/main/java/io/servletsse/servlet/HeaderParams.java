package io.servletsse.servlet;

import java.util.ArrayList;
import java.util.List;

/** Splits header values such as {@code form-data; name="a;b"; filename="x.txt"} at the semicolons outside quotes. */
final class HeaderParams {
    private HeaderParams() {}

    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                cur.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    /**
     * A parameter value without its quotes. Browsers send a file name's {@code "} as {@code %22}
     * and keep backslashes (Windows paths) literal (WHATWG multipart/form-data encoding), so only
     * {@code \"} is unescaped.
     */
    static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"");
        }
        return v;
    }
}
