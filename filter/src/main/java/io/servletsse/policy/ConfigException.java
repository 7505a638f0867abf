package io.servletsse.policy;

/** The configuration is missing or invalid; the message names the bad field. Fatal at start-up. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error about {@code field} (a dotted path such as {@code buckets.logs.SSEAlgorithm}). */
    public static ConfigException field(String field, String problem) {
        return new ConfigException("servlet-sse configuration: " + field + ": " + problem);
    }
}
