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
    /** A header as the app named it first, and its values in order. */
    private record Header(String name, List<String> values) {}

    /** By lower-cased name: one lookup per call. */
    private final Map<String, Header> headers = new LinkedHashMap<>();

    void set(String name, String value) {
        List<String> l = new ArrayList<>(1);
        l.add(value);
        headers.put(key(name), new Header(name, l));
    }

    void add(String name, String value) {
        headers.computeIfAbsent(key(name), k -> new Header(name, new ArrayList<>(1))).values().add(value);
    }

    String get(String name) {
        Header h = headers.get(key(name));
        return h == null || h.values().isEmpty() ? null : h.values().get(0);
    }

    Collection<String> getAll(String name) {
        Header h = headers.get(key(name));
        return h == null ? List.of() : List.copyOf(h.values());
    }

    boolean contains(String name) {
        return headers.containsKey(key(name));
    }

    void remove(String name) {
        headers.remove(key(name));
    }

    Collection<String> names() {
        return headers.values().stream().map(Header::name).toList();
    }

    void clear() {
        headers.clear();
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
        headers.forEach((k, h) -> {
            for (String v : h.values()) {
                if (k.equals("content-length")) {
                    try {
                        res.setContentLengthLong(Long.parseLong(v.trim()));
                    } catch (NumberFormatException e) {
                        res.addHeader(h.name(), v);
                    }
                } else {
                    res.addHeader(h.name(), v);
                }
            }
        });
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
