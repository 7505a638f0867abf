package io.servletsse.sample;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a bucket listing with OSS ListObjects semantics: keys after a marker, at most
 * max-keys entries, and with a delimiter the keys below it rolled up into CommonPrefixes
 * (each prefix counts as one entry).
 */
final class Listing {
    static final int DEFAULT_MAX_KEYS = 100;
    static final int MAX_MAX_KEYS = 1000;

    final List<String> keys = new ArrayList<>();
    final List<String> commonPrefixes = new ArrayList<>();
    boolean truncated;
    String nextMarker;

    /**
     * @param sortedKeys every key that starts with {@code prefix}, sorted
     * @param after      exclusive lower bound (marker, start-after or continuation token), or ""
     */
    static Listing page(List<String> sortedKeys, String prefix, String delimiter, String after, int maxKeys) {
        Listing page = new Listing();
        String last = null;
        for (String key : sortedKeys) {
            if (key.compareTo(after) <= 0) {
                continue;
            }
            String rolled = rollUp(key, prefix, delimiter);
            if (rolled != null && (rolled.compareTo(after) <= 0 || rolled.equals(last))) {
                continue; // this prefix was already returned, on this page or an earlier one
            }
            if (page.keys.size() + page.commonPrefixes.size() == maxKeys) {
                page.truncated = true;
                page.nextMarker = last;
                break;
            }
            if (rolled != null) {
                page.commonPrefixes.add(rolled);
                last = rolled;
            } else {
                page.keys.add(key);
                last = key;
            }
        }
        return page;
    }

    /** The common prefix {@code key} rolls up into, or null if it is listed itself. */
    private static String rollUp(String key, String prefix, String delimiter) {
        if (delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    static int maxKeys(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_MAX_KEYS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ServiceError.invalidArgument("max-keys must be an integer from 1 to " + MAX_MAX_KEYS + ".");
    }

    /** encoding-type=url: percent-encoding as the OSS SDK's HttpUtil.urlEncode undoes it. */
    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
