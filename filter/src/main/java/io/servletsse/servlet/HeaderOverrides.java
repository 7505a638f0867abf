package io.servletsse.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Request headers as the app should see them: some replaced, some removed, the rest as sent.
 * Case-insensitive, and consistent across getHeader/getHeaders/getHeaderNames/getIntHeader.
 */
final class HeaderOverrides {
    private final Map<String, String> replaced = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> removed = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    HeaderOverrides set(String name, String value) {
        removed.remove(name);
        replaced.put(name, value);
        return this;
    }

    HeaderOverrides remove(String name) {
        replaced.remove(name);
        removed.add(name);
        return this;
    }

    boolean touches(String name) {
        return replaced.containsKey(name) || removed.contains(name);
    }

    String header(HttpServletRequest req, String name) {
        if (removed.contains(name)) {
            return null;
        }
        String v = replaced.get(name);
        return v != null ? v : req.getHeader(name);
    }

    Enumeration<String> headers(HttpServletRequest req, String name) {
        if (removed.contains(name)) {
            return Collections.emptyEnumeration();
        }
        String v = replaced.get(name);
        return v != null ? Collections.enumeration(List.of(v)) : req.getHeaders(name);
    }

    Enumeration<String> names(HttpServletRequest req) {
        Set<String> out = new LinkedHashSet<>();
        for (Enumeration<String> e = req.getHeaderNames(); e != null && e.hasMoreElements(); ) {
            String n = e.nextElement();
            if (!removed.contains(n)) {
                out.add(n);
            }
        }
        Set<String> lower = new java.util.HashSet<>();
        for (String n : out) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        for (String n : replaced.keySet()) {
            if (lower.add(n.toLowerCase(Locale.ROOT))) {
                out.add(n);
            }
        }
        return Collections.enumeration(new ArrayList<>(out));
    }
}
