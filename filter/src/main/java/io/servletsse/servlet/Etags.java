package io.servletsse.servlet;

/**
 * The app's ETag of an encrypted object describes its ciphertext. Clients get a distinct tag (the
 * app's with a {@code -sse} suffix inside the quotes), stable for the stored object, and their
 * conditional headers are mapped back before the app sees them — the discipline of Jetty's
 * GzipHandler ({@code etagGzip}).
 */
final class Etags {
    static final String SUFFIX = "-sse";

    private Etags() {}

    /** App tag → client tag: {@code "X"} → {@code "X-sse"}, {@code W/"X"} → {@code W/"X-sse"}. */
    static String toClient(String appTag) {
        if (appTag == null) {
            return null;
        }
        String t = appTag.trim();
        if (t.endsWith("\"") && t.length() >= 2) {
            return t.substring(0, t.length() - 1) + SUFFIX + "\"";
        }
        return t + SUFFIX;
    }

    /** A client's If-Match / If-None-Match / If-Range value with our suffix removed from every tag. */
    static String toApp(String clientValue) {
        if (clientValue == null || !clientValue.contains(SUFFIX)) {
            return clientValue;
        }
        return clientValue.replace(SUFFIX + "\"", "\"");
    }

    /** Whether a client's conditional value names a tag we issued for an encrypted object. */
    static boolean namesEncryptedTag(String clientValue) {
        return clientValue != null && clientValue.contains(SUFFIX + "\"");
    }
}
