package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

/**
 * The header of an encrypted object (docs/FORMAT.md is the spec of record). Immutable; created for
 * a new object with {@link #create}, or read from stored bytes with {@link #parse}. A parsed header
 * is NOT yet authenticated: {@link ObjectCrypto#openForDecryption} checks its MAC.
 *
 * <p>CONTRACT (the servlet layer depends on these signatures; the format owner may add to them).
 */
public final class ObjectHeader {
    /** Length of the magic prefix. */
    public static final int MAGIC_LENGTH = 4;
    /** No header is longer than this; a probe of this many bytes always holds a whole header. */
    public static final int MAX_LENGTH = 4096;
    /** Default plaintext segment size (64 KiB). */
    public static final int DEFAULT_SEGMENT_SIZE = 1 << 16;
    /** Length of the per-object salt. */
    public static final int SALT_LENGTH = 32;

    private ObjectHeader() {
        throw new UnsupportedOperationException("issue 2");
    }

    /** A fresh random per-object salt; also the context that binds the wrapped key to this object. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return salt;
    }

    /** A header for a new encrypted object. {@code segmentSize} is a power of two, 4 KiB..4 MiB. */
    public static ObjectHeader create(ContentAlgorithm algorithm, int segmentSize, byte[] salt, KeyEnvelope envelope) {
        throw new UnsupportedOperationException("issue 2");
    }

    /** The header of the plain escape envelope (algorithm NONE) for plaintext that begins with the magic. */
    public static ObjectHeader plainEnvelope() {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Whether {@code buf[off, off+len)} begins with the format's magic (needs {@link #MAGIC_LENGTH} bytes). */
    public static boolean hasMagic(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("issue 2");
    }

    /**
     * Parses a header from the start of {@code buf[off, off+len)}; the buffer may hold more than the
     * header. Bounds-checks every field before allocating. Throws {@link FormatException}
     * (MALFORMED_HEADER / TRUNCATED / UNSUPPORTED_*) on anything else.
     */
    public static ObjectHeader parse(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Reads exactly one header (its own length) from {@code in}; same checks as {@link #parse(byte[], int, int)}. */
    public static ObjectHeader read(InputStream in) throws IOException {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Total header length H in bytes. */
    public int length() {
        throw new UnsupportedOperationException("issue 2");
    }

    public ContentAlgorithm algorithm() {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Plaintext segment size S. */
    public int segmentSize() {
        throw new UnsupportedOperationException("issue 2");
    }

    /** The per-object salt (a copy). */
    public byte[] salt() {
        throw new UnsupportedOperationException("issue 2");
    }

    public KeyEnvelope keyEnvelope() {
        throw new UnsupportedOperationException("issue 2");
    }

    /** The same header with another key envelope (re-wrap); the MAC is recomputed on {@link #encode}. */
    public ObjectHeader withKeyEnvelope(KeyEnvelope envelope) {
        throw new UnsupportedOperationException("issue 2");
    }

    /** The header bytes (length {@link #length()}), with the MAC computed under {@code dataKey} (null for NONE). */
    public byte[] encode(DataKey dataKey) {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Ciphertext (stored) length of an object of {@code plaintextLength} bytes, header included. */
    public long ciphertextLength(long plaintextLength) {
        throw new UnsupportedOperationException("issue 2");
    }

    /**
     * Plaintext length of a stored object of {@code ciphertextLength} bytes (header included).
     * Throws {@link FormatException} TRUNCATED if no plaintext length maps to it.
     */
    public long plaintextLength(long ciphertextLength) {
        throw new UnsupportedOperationException("issue 2");
    }

    /**
     * The ciphertext byte range that covers plaintext bytes {@code [first, lastInclusive]} of an
     * object whose stored length is {@code ciphertextLength}; whole segments only.
     */
    public RangePlan planRange(long ciphertextLength, long first, long lastInclusive) {
        throw new UnsupportedOperationException("issue 2");
    }
}
