package io.servletsse.kms;

/**
 * Where CMK key material lives and where wrapping happens: the built-in store (material sealed under
 * the root key in files) or a PKCS#11 token (material generated inside, never leaves). Everything else
 * (metadata, state, aliases, caching, envelope framing) is the key manager's, the same for both.
 *
 * <p>{@link #seal}/{@link #open} are the only "KMS calls" on the data path; the key manager counts them.
 * Unavailability (token removed, library gone, disk unreadable) is an
 * {@link io.servletsse.error.SseException} 503; {@link #open} returns {@code null} when authentication
 * fails (wrong context, tampering), so callers cannot confuse the two.
 */
interface MaterialBackend extends AutoCloseable {
    /** Provider id recorded in envelopes: {@code kms} or {@code pkcs11}. */
    String provider();

    /** The explicit wrap-algorithm tag of direct (uncached) envelopes. */
    String wrapAlgorithm();

    /** Generates version {@code version} of the key's material inside the backend. */
    void createMaterial(String keyId, int version);

    /** Stores imported (BYOK) material as version {@code version}. The caller wipes {@code material}. */
    void importMaterial(String keyId, int version, byte[] material);

    /** Encrypts a (32-byte) key under the material version, bound to {@code context} and {@code aad}. */
    byte[] seal(String keyId, int version, byte[] plaintext, byte[] context, byte[] aad);

    /** Decrypts what {@link #seal} made; {@code null} if it does not authenticate. */
    byte[] open(String keyId, int version, byte[] ciphertext, byte[] context, byte[] aad);

    /** Destroys every version of the key's material (crypto-shredding). Idempotent. */
    void destroyMaterial(String keyId);

    @Override
    void close();
}
