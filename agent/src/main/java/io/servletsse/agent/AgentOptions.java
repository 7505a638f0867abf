package io.servletsse.agent;

import java.util.Locale;
import java.util.Map;

/**
 * The agent's options: {@code -javaagent:servlet-sse-agent.jar=config=PATH,failMode=closed|open,debug}.
 * Each also comes from a system property or an environment variable, in that order of precedence:
 * agent argument, then {@code -Dservletsse.config} / {@code servletsse.failMode} / {@code servletsse.debug},
 * then {@code SERVLETSSE_CONFIG} / {@code SERVLETSSE_FAIL_MODE} / {@code SERVLETSSE_DEBUG}.
 *
 * @param config   the filter's JSON configuration: a file path or {@code classpath:NAME}; null if none given
 * @param failMode what to do when the configuration is missing or invalid
 * @param debug    log every instrumented class and the agent's debug messages
 */
record AgentOptions(String config, FailMode failMode, boolean debug) {
    /** On a start-up failure: refuse to start the JVM (default), or run the app unencrypted. */
    enum FailMode {
        CLOSED, OPEN
    }

    /** A problem with the options themselves; the message names the option. */
    static final class OptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OptionException(String message) {
            super(message);
        }
    }

    /**
     * Parses the agent argument string with the system properties and environment as fallbacks.
     * Options that cannot be parsed throw {@link OptionException}; the fail mode is parsed first,
     * on its own, so that {@link #failModeOf} can still honour it.
     */
    static AgentOptions parse(String args, Map<String, String> properties, Map<String, String> env) {
        String config = null;
        String failMode = null;
        String debug = null;
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String key = eq < 0 ? p : p.substring(0, eq).trim();
                String value = eq < 0 ? null : p.substring(eq + 1).trim();
                switch (key) {
                    case "config" -> config = required(key, value);
                    case "failMode" -> failMode = required(key, value);
                    case "debug" -> debug = value == null ? "true" : value;
                    default -> throw new OptionException("unknown agent option '" + key
                            + "' (known: config=PATH, failMode=closed|open, debug)");
                }
            }
        }
        config = first(config, properties.get("servletsse.config"), env.get("SERVLETSSE_CONFIG"));
        failMode = first(failMode, properties.get("servletsse.failMode"), env.get("SERVLETSSE_FAIL_MODE"));
        debug = first(debug, properties.get("servletsse.debug"), env.get("SERVLETSSE_DEBUG"));
        return new AgentOptions(config == null || config.isBlank() ? null : config, failMode(failMode), bool("debug", debug));
    }

    /** The fail mode alone, for deciding how to fail when {@link #parse} itself failed; CLOSED when in doubt. */
    static FailMode failModeOf(String args, Map<String, String> properties, Map<String, String> env) {
        String v = null;
        if (args != null) {
            for (String part : args.split(",")) {
                String p = part.trim();
                if (p.startsWith("failMode=")) {
                    v = p.substring("failMode=".length()).trim();
                }
            }
        }
        v = first(v, properties.get("servletsse.failMode"), env.get("SERVLETSSE_FAIL_MODE"));
        try {
            return failMode(v);
        } catch (OptionException e) {
            return FailMode.CLOSED;
        }
    }

    private static FailMode failMode(String v) {
        if (v == null) {
            return FailMode.CLOSED;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "closed" -> FailMode.CLOSED;
            case "open" -> FailMode.OPEN;
            default -> throw new OptionException("failMode must be 'closed' or 'open': " + v);
        };
    }

    private static boolean bool(String name, String v) {
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new OptionException(name + " must be true or false: " + v);
        };
    }

    private static String required(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw new OptionException("agent option '" + key + "' needs a value (" + key + "=...)");
        }
        return value;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
