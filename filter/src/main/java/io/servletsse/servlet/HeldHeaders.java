package io.servletsse.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Response headers held back from the client until the filter knows what the body is (they may
 * describe ciphertext), then replayed as they are or corrected. Names compare case-insensitively.
 */
final class HeldHeaders {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();

    void set(String name, String value) {
        String k = key(name);
        names.put(k, name);
        List<String> l = new ArrayList<>(1);
        l.add(value);
        values.put(k, l);
    }

    void add(String name, String value) {
        String k = key(name);
        names.putIfAbsent(k, name);
        values.computeIfAbsent(k, x -> new ArrayList<>(1)).add(value);
    }

    String get(String name) {
        List<String> l = values.get(key(name));
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    Collection<String> getAll(String name) {
        List<String> l = values.get(key(name));
        return l == null ? List.of() : List.copyOf(l);
    }

    boolean contains(String name) {
        return values.containsKey(key(name));
    }

    void remove(String name) {
        values.remove(key(name));
        names.remove(key(name));
    }

    Collection<String> names() {
        return List.copyOf(names.values());
    }

    void clear() {
        values.clear();
        names.clear();
    }

    /** Long value of Content-Length as held, or -1. */
    long contentLength() {
        String v = get(OssHeaders.CONTENT_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes every held header to {@code res} unchanged (the body turned out not to be ours to transform). */
    void replay(HttpServletResponse res) {
        values.forEach((k, l) -> {
            String name = names.get(k);
            for (String v : l) {
                if (k.equals("content-length")) {
                    try {
                        res.setContentLengthLong(Long.parseLong(v.trim()));
                    } catch (NumberFormatException e) {
                        res.addHeader(name, v);
                    }
                } else {
                    res.addHeader(name, v);
                }
            }
        });
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
