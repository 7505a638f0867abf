package io.servletsse.engine;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.SseAlgorithm;

/**
 * What the SSE response headers say about an object: {@code x-oss-server-side-encryption},
 * {@code -key-id} (KMS only) and {@code x-oss-server-side-data-encryption} (KMS with SM4 only).
 */
public record SseInfo(String algorithm, String keyId, String dataEncryption) {

    /** Read back from a stored object's header (OSS returns the object's own method on GET/HEAD). */
    public static SseInfo of(ObjectHeader header) {
        String provider = header.keyEnvelope().provider();
        boolean sm4 = header.algorithm() == ContentAlgorithm.SM4_GCM;
        if (KeySources.SERVICE_PROVIDER.equals(provider)) {
            return new SseInfo(sm4 ? SseAlgorithm.SM4.name() : SseAlgorithm.AES256.name(), null, null);
        }
        return new SseInfo(SseAlgorithm.KMS.name(), header.keyEnvelope().keyId(), sm4 ? "SM4" : null);
    }

    /** The content algorithm a rule seals data with. */
    public static ContentAlgorithm contentAlgorithm(EncryptionRule rule) {
        return rule.sm4Data() ? ContentAlgorithm.SM4_GCM : ContentAlgorithm.AES_256_GCM;
    }
}
