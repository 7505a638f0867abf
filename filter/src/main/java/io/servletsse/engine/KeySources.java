package io.servletsse.engine;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.OssErrors;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.kms.DataKeySource;
import io.servletsse.kms.GeneratedDataKey;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.SseAlgorithm;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Routes data-key requests: SSE-OSS (AES256, SM4) to the service master keys, KMS to the key
 * manager; unwrapping by the provider recorded in the object's own header, so an object written
 * by any node or any key backend finds its key.
 */
public final class KeySources {
    /** Provider id of the service master keys (SSE-OSS). */
    public static final String SERVICE_PROVIDER = "sse-oss";

    private final DataKeySource serviceKeys;
    private final DataKeySource kms;
    private final Map<String, DataKeySource> byProvider = new HashMap<>();

    /** {@code kms} is null when KMS is not enabled (uploads asking for it get KmsServiceNotEnabled). */
    public KeySources(DataKeySource serviceKeys, DataKeySource kms) {
        this.serviceKeys = Objects.requireNonNull(serviceKeys, "serviceKeys");
        this.kms = kms;
        byProvider.put(serviceKeys.provider(), serviceKeys);
        if (kms != null) {
            byProvider.put(kms.provider(), kms);
        }
    }

    public boolean kmsEnabled() {
        return kms != null;
    }

    /** A fresh data key for an upload under {@code rule} (not None), bound to {@code salt}. */
    public GeneratedDataKey generate(EncryptionRule rule, byte[] salt) {
        if (rule.algorithm() == SseAlgorithm.KMS) {
            if (kms == null) {
                throw OssErrors.kmsServiceNotEnabled();
            }
            return kms.generateDataKey(rule.kmsMasterKeyId(), salt);
        }
        return serviceKeys.generateDataKey(rule.algorithm().name(), salt);
    }

    /** Unwraps an object's data key with the source that made it. */
    public DataKey unwrap(KeyEnvelope envelope, byte[] salt) {
        DataKeySource source = byProvider.get(envelope.provider());
        if (source == null) {
            if (!SERVICE_PROVIDER.equals(envelope.provider()) && kms == null) {
                throw OssErrors.kmsServiceNotEnabled();
            }
            throw OssErrors.internal("The object's key provider '" + envelope.provider() + "' is not configured.", null);
        }
        return source.decryptDataKey(envelope, salt);
    }
}
