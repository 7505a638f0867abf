package io.servletsse.format;

import io.servletsse.error.SseException;

/**
 * The one failure of reading or writing the object format. {@link #reason()} says what failed;
 * the message never contains key bytes. An object that fails this way is never served: the client
 * gets an error, or an aborted connection once the response has started.
 */
public final class FormatException extends SseException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Reason {
        /** Not in the format, or a header field out of bounds. */
        MALFORMED_HEADER,
        /** The header's version is not one this reader knows. */
        UNSUPPORTED_VERSION,
        /** The header names an algorithm this reader does not know. */
        UNSUPPORTED_ALGORITHM,
        /** The header MAC does not verify (tampered header, or the wrong data key). */
        HEADER_AUTHENTICATION_FAILED,
        /** A segment's tag does not verify (tampered, reordered, swapped or duplicated segment). */
        SEGMENT_AUTHENTICATION_FAILED,
        /** The object is shorter than its own structure says, or its length is impossible. */
        TRUNCATED,
        /** Bytes after the final segment. */
        TRAILING_DATA,
        /** A range that does not lie within the object. */
        INVALID_RANGE
    }

    private final Reason reason;

    public FormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public FormatException(Reason reason, String message, Throwable cause) {
        super(500, "InternalError", reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
