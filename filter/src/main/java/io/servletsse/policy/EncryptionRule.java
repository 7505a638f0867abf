package io.servletsse.policy;

import io.servletsse.error.OssErrors;

/**
 * How objects are encrypted: a bucket's default, or what an upload's own headers ask for.
 * Immutable and valid by construction (OSS rules: a CMK id and SM4 data encryption only with KMS).
 *
 * @param algorithm        {@code null} means None (no encryption)
 * @param kmsMasterKeyId   KMS only: the CMK id or alias; {@code null} means the default CMK
 *                         ({@code alias/acs/oss})
 * @param kmsDataEncryption KMS only: {@code "SM4"} or {@code null} (AES-256)
 */
public record EncryptionRule(SseAlgorithm algorithm, String kmsMasterKeyId, String kmsDataEncryption) {
    /** The alias of the default CMK that OSS uses for KMS without a key id. */
    public static final String DEFAULT_CMK_ALIAS = "alias/acs/oss";

    private static final EncryptionRule NONE = new EncryptionRule(null, null, null);

    public EncryptionRule {
        if (kmsMasterKeyId != null && kmsMasterKeyId.isEmpty()) {
            kmsMasterKeyId = null; // OSS: an empty KMSMasterKeyID means the default CMK
        }
        if (algorithm != SseAlgorithm.KMS && kmsMasterKeyId != null) {
            throw OssErrors.invalidArgument("KMSMasterKeyID is not applicable if the default sse algorithm is not KMS");
        }
        if (kmsDataEncryption != null && !"SM4".equals(kmsDataEncryption)) {
            throw OssErrors.invalidDataEncryptionAlgorithm();
        }
        if (algorithm != SseAlgorithm.KMS && kmsDataEncryption != null) {
            throw OssErrors.invalidArgument("KMSDataEncryption is not applicable if the default sse algorithm is not KMS");
        }
    }

    public static EncryptionRule none() {
        return NONE;
    }

    public static EncryptionRule aes256() {
        return new EncryptionRule(SseAlgorithm.AES256, null, null);
    }

    public static EncryptionRule sm4() {
        return new EncryptionRule(SseAlgorithm.SM4, null, null);
    }

    /** KMS with {@code keyId} (null: the default CMK), SM4 data encryption if {@code sm4Data}. */
    public static EncryptionRule kms(String keyId, boolean sm4Data) {
        return new EncryptionRule(SseAlgorithm.KMS, keyId, sm4Data ? "SM4" : null);
    }

    public boolean isNone() {
        return algorithm == null;
    }

    /** Whether the object data is sealed with SM4 (SSE SM4, or KMS with SM4 data encryption). */
    public boolean sm4Data() {
        return algorithm == SseAlgorithm.SM4 || "SM4".equals(kmsDataEncryption);
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "None";
        }
        StringBuilder sb = new StringBuilder(algorithm.name());
        if (algorithm == SseAlgorithm.KMS) {
            sb.append('(').append(kmsMasterKeyId == null ? DEFAULT_CMK_ALIAS : kmsMasterKeyId);
            if (kmsDataEncryption != null) {
                sb.append(", data=").append(kmsDataEncryption);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
