package io.servletsse.sample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query string, parsed by hand: {@code getParameter} would read a POST form body, and OSS
 * sub-resources such as {@code ?bucketInfo} have no value.
 */
record Query(Map<String, String> params) {

    static Query parse(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
                out.putIfAbsent(name, value);
            }
        }
        return new Query(Collections.unmodifiableMap(out));
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    String get(String name) {
        return params.get(name);
    }

    String get(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** Parameters that only authenticate a presigned URL and never change what is done. */
    static boolean isSigning(String name) {
        return name.startsWith("x-oss-") || name.equals("OSSAccessKeyId") || name.equals("Expires")
                || name.equals("Signature") || name.equals("security-token");
    }

    private static String formDecode(String s) {
        String d = ObjectPath.decode(s.replace('+', ' '));
        if (d == null) {
            throw ServiceError.invalidArgument("The query string is not valid percent-encoded UTF-8.");
        }
        return d;
    }
}
