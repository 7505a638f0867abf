package io.servletsse.servlet;

import io.servletsse.error.OssErrors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query-string parameters parsed by the filter itself: getParameter() may read the body of a form
 * POST, which the filter must not consume. Bounded: more than {@link #MAX_PARAMETERS} parameters
 * is 400 InvalidArgument, never a cut (a sub-resource such as {@code uploadId} past the cut would
 * go unseen, and the upload pass as a whole object).
 */
final class QueryString {
    static final int MAX_PARAMETERS = 256;

    private QueryString() {}

    static Map<String, String[]> parse(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            int count = 0;
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                if (++count > MAX_PARAMETERS) {
                    throw OssErrors.invalidArgument("Too many query parameters.");
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        Map<String, String[]> result = new LinkedHashMap<>();
        out.forEach((k, v) -> result.put(k, v.toArray(String[]::new)));
        return Collections.unmodifiableMap(result);
    }

    /** Whether the query names sub-resource {@code name} ({@code ?encryption}, {@code ?append&position=0}). */
    static boolean has(String query, String name) {
        return query != null && parse(query).containsKey(name);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // malformed escape: keep it literal rather than fail the request
        }
    }
}
