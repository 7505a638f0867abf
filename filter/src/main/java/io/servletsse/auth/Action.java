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
    KMS_DECRYPT("kms:Decrypt", ResourceType.KMS_KEY),

    // The admin API and console (docs/CONSOLE.md). OSS and KMS action names, so Alibaba Cloud
    // policies apply unchanged; collection actions (ListBuckets, CreateKey, ListKeys, ListAliases)
    // are evaluated against the collection ARNs KMS and OSS use (acs:kms:<region>:<account>:key, ...).
    /** Creating a bucket (console Method 1). */
    PUT_BUCKET("oss:PutBucket", ResourceType.BUCKET),
    /** Listing buckets: resource {@code acs:oss:*:<account>:*}. */
    LIST_BUCKETS("oss:ListBuckets", ResourceType.BUCKET),
    KMS_CREATE_KEY("kms:CreateKey", ResourceType.KMS_KEY),
    KMS_CREATE_ALIAS("kms:CreateAlias", ResourceType.KMS_KEY),
    KMS_DELETE_ALIAS("kms:DeleteAlias", ResourceType.KMS_KEY),
    KMS_ENABLE_KEY("kms:EnableKey", ResourceType.KMS_KEY),
    KMS_DISABLE_KEY("kms:DisableKey", ResourceType.KMS_KEY),
    KMS_SCHEDULE_KEY_DELETION("kms:ScheduleKeyDeletion", ResourceType.KMS_KEY),
    KMS_CANCEL_KEY_DELETION("kms:CancelKeyDeletion", ResourceType.KMS_KEY),
    /** On-demand rotation: KMS names it CreateKeyVersion. */
    KMS_CREATE_KEY_VERSION("kms:CreateKeyVersion", ResourceType.KMS_KEY),
    /** Automatic rotation on/off and its interval. */
    KMS_UPDATE_ROTATION_POLICY("kms:UpdateRotationPolicy", ResourceType.KMS_KEY),
    KMS_GET_PARAMETERS_FOR_IMPORT("kms:GetParametersForImport", ResourceType.KMS_KEY),
    KMS_IMPORT_KEY_MATERIAL("kms:ImportKeyMaterial", ResourceType.KMS_KEY);

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
