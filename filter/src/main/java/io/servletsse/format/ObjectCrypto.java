package io.servletsse.format;

import io.servletsse.crypto.DataKey;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * The streaming engine: encrypting and decrypting streams over the format, constant memory at any
 * size. No plaintext byte is released before its segment's tag has verified.
 *
 * <p>CONTRACT (the servlet layer depends on these signatures; the format owner may add to them).
 */
public final class ObjectCrypto {
    private ObjectCrypto() {}

    /**
     * Plaintext in, the whole stored object out (header bytes, then the sealed segments). For the
     * NONE algorithm {@code dataKey} is null and the output is the header followed by the plaintext.
     * The caller keeps ownership of {@code dataKey}; the stream derives what it needs at creation.
     */
    public static InputStream encryptingStream(ObjectHeader header, DataKey dataKey, InputStream plaintext) {
        throw new UnsupportedOperationException("issue 2");
    }

    /**
     * Checks the header's MAC under {@code dataKey} (FormatException HEADER_AUTHENTICATION_FAILED on
     * a wrong key or tampered header) and returns a decryptor for that object.
     */
    public static Decryptor openForDecryption(ObjectHeader header, DataKey dataKey) {
        throw new UnsupportedOperationException("issue 2");
    }

    /** Decrypts one authenticated object. */
    public interface Decryptor {
        ObjectHeader header();

        /**
         * The whole plaintext from {@code segments}, positioned just after the header. Detects
         * truncation (also at a segment boundary) and trailing data at EOF. {@code ciphertextLength}
         * is the stored length if known (header included), or -1.
         */
        InputStream decryptingStream(InputStream segments, long ciphertextLength);

        /**
         * The plaintext of {@code plan} from {@code ciphertext}, positioned at
         * {@code plan.ciphertextOffset()}; reads at most {@code plan.ciphertextLength()} bytes.
         */
        InputStream rangeStream(InputStream ciphertext, RangePlan plan);

        /** Random access: plaintext {@code [first, lastInclusive]}, reading only the segments needed. */
        InputStream rangeStream(SeekableByteChannel object, long first, long lastInclusive);

        /**
         * Push-style primitive for callers that receive ciphertext as writes (a servlet response):
         * authenticates and decrypts one whole sealed segment {@code in[inOff, inOff+inLen)} (plaintext
         * + 16-byte tag) with segment number {@code index} and the final-segment flag {@code last},
         * into {@code out[outOff...]}; returns the plaintext length. Nothing is written to
         * {@code out} unless the tag verifies (FormatException SEGMENT_AUTHENTICATION_FAILED).
         * {@code in} and {@code out} must be different arrays.
         */
        int openSegment(long index, boolean last, byte[] in, int inOff, int inLen, byte[] out, int outOff);
    }
}
