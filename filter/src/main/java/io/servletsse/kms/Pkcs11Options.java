package io.servletsse.kms;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * How to reach the PKCS#11 token (SunPKCS11 configuration): the module library, the slot, the user PIN.
 * The PIN is secret: copied in, redacted from {@link #toString()}, wiped by {@link #destroyPin()}.
 */
public final class Pkcs11Options {
    private final Path library;
    private final Long slot;
    private final char[] pin;

    /**
     * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slot    the slot id ({@code slot =} in SunPKCS11 terms); {@code null} for the first slot
     *                with a token ({@code slotListIndex = 0})
     * @param pin     the user PIN (copied)
     */
    public Pkcs11Options(Path library, Long slot, char[] pin) {
        this.library = Objects.requireNonNull(library, "library");
        if (slot != null && slot < 0) {
            throw new IllegalArgumentException("slot cannot be negative: " + slot);
        }
        this.slot = slot;
        this.pin = Objects.requireNonNull(pin, "pin").clone();
        if (this.pin.length == 0) {
            throw new IllegalArgumentException("PIN cannot be empty");
        }
    }

    public Path library() {
        return library;
    }

    public Long slot() {
        return slot;
    }

    /** A copy of the PIN; the caller wipes it. */
    char[] pin() {
        return pin.clone();
    }

    public void destroyPin() {
        Arrays.fill(pin, '\0');
    }

    @Override
    public String toString() {
        return "Pkcs11Options[library=" + library + ", slot=" + (slot == null ? "first" : slot) + ", pin=redacted]";
    }
}
