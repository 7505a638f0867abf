package io.servletsse.kms;

import io.servletsse.crypto.DataKey;
import io.servletsse.format.KeyEnvelope;

/**
 * Generates and unwraps per-object data keys under one kind of master key. Implementations: the
 * service master key of SSE-OSS (AES256 / SM4), the built-in KMS, the PKCS#11 HSM.
 *
 * <p>{@code context} is the object's header salt: implementations bind the wrapped key to it, so
 * a wrapped key moved into another object's header does not unwrap. Failures are
 * {@link io.servletsse.error.SseException}s carrying the OSS error a client gets (KeyNotFound,
 * KmsServiceNotEnabled, ServiceUnavailable, ...).
 */
public interface DataKeySource {
    /** The provider id recorded in {@link KeyEnvelope#provider()} for keys made here. */
    String provider();

    /**
     * A new data key under master key {@code keyId} (a CMK id or alias for KMS; the algorithm name
     * {@code AES256}/{@code SM4} for the service master key).
     */
    GeneratedDataKey generateDataKey(String keyId, byte[] context);

    /** Unwraps a data key this source made. The caller owns (and destroys) the result. */
    DataKey decryptDataKey(KeyEnvelope envelope, byte[] context);

    /**
     * Whether the data key of an object under {@code envelope}, once opened, may be used again without
     * {@link #decryptDataKey unwrapping} it (see {@link ReuseGrant}); {@code null}: never (the caller
     * then unwraps, which checks). A grant comes only after those checks of {@code decryptDataKey} that
     * depend on state which can change since the object was opened (a CMK that is not Enabled, or no
     * longer holds the envelope's material version, throws the same error), and no backend call.
     */
    default ReuseGrant reuse(KeyEnvelope envelope) {
        return null;
    }
}
