package io.servletsse.auth;

import java.util.Locale;

/**
 * RAM wildcard matching: {@code *} matches any run of characters (also none, also across
 * {@code :} and {@code /}), {@code ?} matches exactly one character; everything else is literal.
 * Greedy matching with one backtrack point: at worst pattern length times text length steps, so a
 * hostile pattern cannot blow up as a backtracking regular expression could.
 */
final class Glob {
    private Glob() {}

    /** Whether {@code text} matches {@code pattern}; case-insensitively if {@code ignoreCase}. */
    static boolean matches(String pattern, String text, boolean ignoreCase) {
        if (ignoreCase) {
            pattern = pattern.toLowerCase(Locale.ROOT);
            text = text.toLowerCase(Locale.ROOT);
        }
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
