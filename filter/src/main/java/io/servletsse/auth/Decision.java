package io.servletsse.auth;

/** Outcome of evaluating RAM policies for one action on one resource. */
public enum Decision {
    /** A matching Allow statement and no matching Deny. */
    ALLOW,
    /** A matching Deny statement: it wins over every Allow. */
    EXPLICIT_DENY,
    /** No statement matched: RAM denies by default. */
    IMPLICIT_DENY;

    public boolean allowed() {
        return this == ALLOW;
    }
}
