package io.servletsse.auth;

/**
 * The RAM actions servlet-sse checks, with the kind of resource each applies to. Names are those
 * of OSS and KMS ({@code oss:PutBucketEncryption}, {@code kms:GenerateDataKey}, ...), so policies
 * written for Alibaba Cloud apply unchanged. See docs/PERMISSIONS.md for which request needs which.
 */
public enum Action {
    PUT_BUCKET_ENCRYPTION("oss:PutBucketEncryption", ResourceType.BUCKET),
    GET_BUCKET_ENCRYPTION("oss:GetBucketEncryption", ResourceType.BUCKET),
    DELETE_BUCKET_ENCRYPTION("oss:DeleteBucketEncryption", ResourceType.BUCKET),
    PUT_OBJECT("oss:PutObject", ResourceType.OBJECT),
    GET_OBJECT("oss:GetObject", ResourceType.OBJECT),
    /** Configuring a CMK as a bucket default (OSS: "ListKeys, Listalias, ListAliasesByKeyId, DescribeKeys"). */
    KMS_LIST_KEYS("kms:ListKeys", ResourceType.KMS_KEY),
    KMS_LIST_ALIASES("kms:ListAliases", ResourceType.KMS_KEY),
    KMS_LIST_ALIASES_BY_KEY_ID("kms:ListAliasesByKeyId", ResourceType.KMS_KEY),
    KMS_DESCRIBE_KEY("kms:DescribeKey", ResourceType.KMS_KEY),
    /** Uploading an object encrypted under a CMK. */
    KMS_GENERATE_DATA_KEY("kms:GenerateDataKey", ResourceType.KMS_KEY),
    /** Downloading an object encrypted under a CMK. */
    KMS_DECRYPT("kms:Decrypt", ResourceType.KMS_KEY);

    /** What an action's resource ARN names. */
    public enum ResourceType {
        /** {@code acs:oss:*:<account>:<bucket>} */
        BUCKET,
        /** {@code acs:oss:*:<account>:<bucket>/<key>} */
        OBJECT,
        /** {@code acs:kms:<region>:<account>:key/<keyId>} */
        KMS_KEY
    }

    private final String ramName;
    private final ResourceType resourceType;

    Action(String ramName, ResourceType resourceType) {
        this.ramName = ramName;
        this.resourceType = resourceType;
    }

    /** The RAM action name, e.g. {@code kms:Decrypt}. */
    public String ramName() {
        return ramName;
    }

    public ResourceType resourceType() {
        return resourceType;
    }

    public boolean isKms() {
        return resourceType == ResourceType.KMS_KEY;
    }

    @Override
    public String toString() {
        return ramName;
    }
}
