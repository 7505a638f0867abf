package io.servletsse.servlet;

import io.servletsse.error.SseException;
import java.io.IOException;

/**
 * Thrown from the body streams of a form upload the filter refused (malformed, denied, no key): an
 * IOException, so that an app reading the body sees what it sees when a client aborts an upload,
 * and carrying the OSS error the filter then answers with.
 */
final class RefusedUploadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient SseException reason;

    RefusedUploadException(SseException reason) {
        super("servlet-sse refused the form upload: " + reason.ossCode() + ": " + reason.getMessage(), reason);
        this.reason = reason;
    }

    SseException reason() {
        return reason;
    }
}
