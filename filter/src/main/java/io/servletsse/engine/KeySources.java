package io.servletsse.engine;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.OssErrors;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.kms.GeneratedDataKey;
import io.servletsse.kms.KeyManager;
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.ReuseGrant;
import io.servletsse.kms.ServiceMasterKeys;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.SseAlgorithm;
import java.util.Objects;

/**
 * Routes data-key requests: SSE-OSS (AES256, SM4) to the service master keys, KMS to the key
 * manager; unwrapping by the provider recorded in the object's own header, so an object written
 * by any node finds its key.
 */
public final class KeySources {
    /** Provider id of the service master keys (SSE-OSS). */
    public static final String SERVICE_PROVIDER = ServiceMasterKeys.PROVIDER;

    private final KeyServices services;
    private volatile String defaultCmkId;

    public KeySources(KeyServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    public KeyServices services() {
        return services;
    }

    public boolean kmsEnabled() {
        return services.kmsEnabled();
    }

    /**
     * A fresh data key for an upload under {@code rule} (not None), bound to {@code salt}.
     * {@code bucket} and {@code expectedBytes} (-1 if unknown) let KMS serve it from a bucket key.
     */
    public GeneratedDataKey generate(EncryptionRule rule, byte[] salt, String bucket, long expectedBytes) {
        if (rule.algorithm() == SseAlgorithm.KMS) {
            return services.keyManager().generateDataKey(rule.kmsMasterKeyId(), salt, bucket == null ? "" : bucket,
                    expectedBytes);
        }
        return services.serviceMasterKeys().generateDataKey(rule.algorithm().name(), salt);
    }

    /** Unwraps an object's data key with the source that made it. */
    public DataKey unwrap(KeyEnvelope envelope, byte[] salt) {
        return services.decryptDataKey(envelope, salt);
    }

    /**
     * Whether the source that made an object's data key lets an opened copy be reused, checked now
     * (see {@link ReuseGrant}); null: unwrap every time. Throws what unwrapping would for a key
     * that cannot be used now (KMS off, a CMK disabled or gone).
     */
    public ReuseGrant reuse(KeyEnvelope envelope) {
        return services.sourceFor(envelope.provider()).reuse(envelope);
    }

    /**
     * Checks, as OSS does when a bucket rule is set, that the CMK a KMS rule names exists:
     * KeyNotFound / AliasNotFound / InvalidParameter otherwise. The default CMK
     * ({@code alias/acs/oss}, or no CMK named) always passes: it is created on its first use.
     */
    public void checkRuleCmk(EncryptionRule rule) {
        if (!kmsEnabled()) {
            throw OssErrors.kmsServiceNotEnabled();
        }
        String cmk = rule.kmsMasterKeyId();
        if (cmk != null && !KeyManager.DEFAULT_ALIAS.equals(cmk)) {
            services.keyManager().describeKey(cmk);
        }
    }

    /**
     * Whether {@code keyId} is the default CMK ({@code alias/acs/oss}): objects under it need no
     * KMS permission, as in OSS. False when KMS is off or the default CMK does not exist yet.
     */
    public boolean isDefaultCmk(String keyId) {
        if (keyId == null || !kmsEnabled()) {
            return false;
        }
        String id = defaultCmkId;
        if (id == null) {
            try {
                id = services.keyManager().describeKey(KeyManager.DEFAULT_ALIAS).keyId();
                defaultCmkId = id;
            } catch (RuntimeException notYetCreated) {
                return false;
            }
        }
        return id.equals(keyId);
    }
}
