package io.servletsse.cli;

/** A command line or configuration the tool cannot act on: exit status 2, nothing was changed. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
