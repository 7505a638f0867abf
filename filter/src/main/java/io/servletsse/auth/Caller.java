package io.servletsse.auth;

import java.util.Objects;

/**
 * Who sent a request, as resolved by the {@link Authenticator}: a configured user, a name the
 * container or a fronting proxy vouched for, or the anonymous caller. Anonymous requests are a
 * caller too, with the {@code anonymous} policies of the configuration.
 *
 * @param name      user name ({@value #ANONYMOUS_NAME} for the anonymous caller); this is what the
 *                  audit log records, never an AccessKey secret
 * @param anonymous whether no identity was presented
 */
public record Caller(String name, boolean anonymous) {
    public static final String ANONYMOUS_NAME = "anonymous";

    private static final Caller ANONYMOUS = new Caller(ANONYMOUS_NAME, true);

    public Caller {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("caller name is empty");
        }
    }

    public static Caller anonymousCaller() {
        return ANONYMOUS;
    }

    /** An authenticated caller with this name. */
    public static Caller named(String name) {
        return new Caller(name, false);
    }

    @Override
    public String toString() {
        return anonymous ? ANONYMOUS_NAME : name;
    }
}
