package io.servletsse.crypto;

/**
 * How an object's segments are sealed. The numeric id is what the object header stores (FORMAT.md).
 */
public enum ContentAlgorithm {
    /**
     * No encryption: the "plain envelope" used only for a plaintext upload that happens to begin with
     * the format's magic bytes, so it can never be mistaken for an encrypted object.
     */
    NONE(0, 0),
    /** AES-256-GCM through the JDK's SunJCE provider. */
    AES_256_GCM(1, 32),
    /** SM4-GCM (128-bit key) through BouncyCastle. */
    SM4_GCM(2, 16);

    private final int id;
    private final int keyLength;

    ContentAlgorithm(int id, int keyLength) {
        this.id = id;
        this.keyLength = keyLength;
    }

    /** The id stored in the object header. */
    public int id() {
        return id;
    }

    /** Length in bytes of the derived content key. */
    public int keyLength() {
        return keyLength;
    }

    /** The algorithm for a header id, or {@code null} if unknown. */
    public static ContentAlgorithm byId(int id) {
        for (ContentAlgorithm a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        return null;
    }
}
