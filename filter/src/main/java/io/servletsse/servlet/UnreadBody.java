package io.servletsse.servlet;

import io.servletsse.error.SseException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Before a PUT or POST is answered with an error, what is left of its body is read and discarded,
 * up to {@link #MAX_DRAIN} bytes. A client still sending it (the OSS SDKs send no
 * {@code Expect: 100-continue}) would otherwise see a broken pipe instead of the error, and a
 * keep-alive client would find its connection closed under its next request. Nothing read is kept.
 */
public final class UnreadBody {
    /** Largest unread body drained; above it the container closes the connection instead. */
    static final long MAX_DRAIN = 16L << 20;

    private UnreadBody() {}

    public static void drain(HttpServletRequest req) {
        String method = req.getMethod();
        if (!"PUT".equals(method) && !"POST".equals(method) || req.getContentLengthLong() > MAX_DRAIN) {
            return;
        }
        try {
            InputStream in = req.getInputStream();
            byte[] scratch = new byte[8192];
            long total = 0;
            for (int n; total <= MAX_DRAIN && (n = in.read(scratch)) > 0; ) {
                total += n;
            }
        } catch (IOException | IllegalStateException | SseException ignored) {
            // The body was taken as a reader, the client went away, or it failed our digest check.
        }
    }
}
