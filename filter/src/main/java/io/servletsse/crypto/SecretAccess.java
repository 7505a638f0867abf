package io.servletsse.crypto;

/**
 * Capability token for reading secret key bytes. Every place that touches raw key material names
 * this token, so a reviewer can find them all with one grep ({@code SecretAccess.grant()}).
 */
public final class SecretAccess {
    private static final SecretAccess INSTANCE = new SecretAccess();

    private SecretAccess() {}

    /** Deliberately explicit: call sites are the audit list of code that handles key bytes. */
    public static SecretAccess grant() {
        return INSTANCE;
    }
}
