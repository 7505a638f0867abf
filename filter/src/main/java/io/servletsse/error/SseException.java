package io.servletsse.error;

import java.util.Objects;

/**
 * The one error family of servlet-sse: every failure that can reach a client carries the HTTP status
 * and the OSS error code it is answered with (OSS error XML: {@code Code}, {@code Message},
 * {@code RequestId}). One place in the servlet layer renders it; no other exception type should
 * escape to a client.
 *
 * <p>Messages are for clients: they never contain key material, and say what was wrong with the
 * request, not how the server is built.
 */
public class SseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String ossCode;

    public SseException(int httpStatus, String ossCode, String message) {
        this(httpStatus, ossCode, message, null);
    }

    public SseException(int httpStatus, String ossCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("not an error status: " + httpStatus);
        }
        this.httpStatus = httpStatus;
        this.ossCode = Objects.requireNonNull(ossCode, "ossCode");
    }

    /** HTTP status of the error response. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The OSS error code ({@code <Code>} of the error XML), e.g. {@code InvalidArgument}. */
    public String ossCode() {
        return ossCode;
    }
}
