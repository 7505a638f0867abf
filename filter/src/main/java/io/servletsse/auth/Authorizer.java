package io.servletsse.auth;

import io.servletsse.audit.AuditLog;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.policy.EncryptionRule;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a caller may perform an action, with the RAM rules ({@link PolicyDocument}):
 * an explicit Deny in any applicable policy wins, then an Allow, and with no matching statement
 * the answer is deny. A refusal is audited, then thrown as OSS answers it: 403 AccessDenied, with
 * "This request is forbidden by kms." for KMS actions (OSS "HTTP 403 status code").
 */
public final class Authorizer {
    private final AccessControl access;
    private final AuditLog audit;
    private final AliasResolver aliases;

    /** Which CMK an alias names now, so that a policy on the key also governs calls that name its alias. */
    @FunctionalInterface
    public interface AliasResolver {
        /** The CMK id {@code alias} points to; empty if no such alias exists. Other KMS errors are thrown. */
        Optional<String> keyIdOf(String alias);

        /** For configurations without KMS: no alias names a key. */
        AliasResolver NONE = alias -> Optional.empty();
    }

    /**
     * What an action is performed on.
     *
     * @param bucket    the bucket (required for every action: it is also audited for KMS actions)
     * @param objectKey the object key, for object actions (and audited for KMS actions if known)
     * @param cmkId     the CMK id or alias, for KMS actions
     */
    public record Target(String bucket, String objectKey, String cmkId) {
        public Target {
            Objects.requireNonNull(bucket, "bucket");
        }

        public static Target bucket(String bucket) {
            return new Target(bucket, null, null);
        }

        public static Target object(String bucket, String objectKey) {
            return new Target(bucket, Objects.requireNonNull(objectKey, "objectKey"), null);
        }

        /** A CMK used for {@code bucket} (and {@code objectKey}, which may be null for a bucket rule). */
        public static Target cmk(String cmkId, String bucket, String objectKey) {
            return new Target(bucket, objectKey, Objects.requireNonNull(cmkId, "cmkId"));
        }
    }

    public Authorizer(AccessControl access, AuditLog audit, AliasResolver aliases) {
        this.access = Objects.requireNonNull(access, "access");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.aliases = Objects.requireNonNull(aliases, "aliases");
    }

    /** The ARN the action is evaluated against. */
    public String resourceArn(Action action, Target target) {
        return switch (action.resourceType()) {
            case BUCKET -> access.bucketArn(target.bucket());
            case OBJECT -> access.objectArn(target.bucket(), require(target.objectKey(), action, "objectKey"));
            case KMS_KEY -> access.kmsKeyArn(require(target.cmkId(), action, "cmkId"));
        };
    }

    /** The verdict, without throwing or auditing (for consoles and tests). */
    public Decision evaluate(Caller caller, Action action, String resourceArn) {
        return PolicyDocument.evaluateAll(access.policiesFor(caller), action.ramName(), resourceArn);
    }

    /**
     * Returns normally if allowed; otherwise writes the audit line and throws.
     *
     * @throws SseException 403 AccessDenied
     */
    public void check(String requestId, Caller caller, Action action, Target target) {
        Decision d = evaluate(caller, action, resourceArn(action, target));
        if (action.resourceType() == Action.ResourceType.KMS_KEY && target.cmkId().startsWith("alias/")) {
            d = viaAlias(d, caller, action, target.cmkId());
        }
        if (d.allowed()) {
            return;
        }
        SseException e = denial(caller, action);
        audit.denied(requestId, caller.name(), action.ramName(), target.bucket(), target.objectKey(), target.cmkId(),
                e.ossCode());
        throw e;
    }

    /**
     * A call that names a CMK by its alias is evaluated on the alias ARN and on the ARN of the key
     * the alias points to: a Deny on either wins, and an Allow on either allows. Otherwise
     * {@code Deny key/<id>} could be sidestepped by naming the key through any of its aliases, and
     * an {@code Allow key/<id>} would not cover a bucket rule that names the key by alias. (An alias
     * that does not exist is evaluated as itself; the KMS call then answers AliasNotFound.)
     */
    private Decision viaAlias(Decision onAlias, Caller caller, Action action, String alias) {
        Optional<String> keyId = aliases.keyIdOf(alias);
        if (keyId.isEmpty() || onAlias == Decision.EXPLICIT_DENY) {
            return onAlias;
        }
        Decision onKey = evaluate(caller, action, access.kmsKeyArn(keyId.get()));
        if (onKey == Decision.EXPLICIT_DENY) {
            return onKey;
        }
        return onAlias.allowed() || onKey.allowed() ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    // ---- The permissions each request needs (docs/PERMISSIONS.md section 4), in one place.

    /**
     * PutBucketEncryption: {@code oss:PutBucketEncryption} on the bucket and, when the rule names
     * a CMK, {@code kms:DescribeKey} and {@code kms:ListAliasesByKeyId} on it (OSS: configuring a
     * specified CMK needs "ListKeys, Listalias, ListAliasesByKeyId, and DescribeKeys"; the two
     * checked are those that name the key, and {@code kms:List*} + {@code kms:DescribeKey} of the
     * OSS example grant both).
     */
    public void checkPutBucketEncryption(String requestId, Caller caller, String bucket, EncryptionRule rule) {
        check(requestId, caller, Action.PUT_BUCKET_ENCRYPTION, Target.bucket(bucket));
        String cmk = namedCmk(rule.kmsMasterKeyId());
        if (cmk != null) {
            check(requestId, caller, Action.KMS_DESCRIBE_KEY, Target.cmk(cmk, bucket, null));
            check(requestId, caller, Action.KMS_LIST_ALIASES_BY_KEY_ID, Target.cmk(cmk, bucket, null));
        }
    }

    /**
     * An upload: {@code oss:PutObject} on the object and, if it will be encrypted under a named
     * CMK, {@code kms:GenerateDataKey} on it.
     *
     * @param cmkId the CMK the object will be encrypted with; {@code null} or the default CMK
     *              ({@code alias/acs/oss}) needs no KMS permission, as in OSS
     */
    public void checkUpload(String requestId, Caller caller, String bucket, String objectKey, String cmkId) {
        check(requestId, caller, Action.PUT_OBJECT, Target.object(bucket, objectKey));
        String cmk = namedCmk(cmkId);
        if (cmk != null) {
            check(requestId, caller, Action.KMS_GENERATE_DATA_KEY, Target.cmk(cmk, bucket, objectKey));
        }
    }

    /**
     * A download (GET or HEAD): {@code oss:GetObject} on the object and, if it was encrypted under
     * a named CMK, {@code kms:Decrypt} on it.
     */
    public void checkDownload(String requestId, Caller caller, String bucket, String objectKey, String cmkId) {
        check(requestId, caller, Action.GET_OBJECT, Target.object(bucket, objectKey));
        String cmk = namedCmk(cmkId);
        if (cmk != null) {
            check(requestId, caller, Action.KMS_DECRYPT, Target.cmk(cmk, bucket, objectKey));
        }
    }

    /** The CMK id if one is named; {@code null} for none or the service's default CMK. */
    private static String namedCmk(String cmkId) {
        return cmkId == null || cmkId.isEmpty() || EncryptionRule.DEFAULT_CMK_ALIAS.equals(cmkId) ? null : cmkId;
    }

    private static SseException denial(Caller caller, Action action) {
        if (action.isKms()) {
            return OssErrors.forbiddenByKms();
        }
        String what = action.resourceType() == Action.ResourceType.OBJECT ? "object" : "bucket";
        // OSS "HTTP 403 status code": "Anonymous user has no right to access this bucket." and
        // "You have no right to access this object."
        return OssErrors.accessDenied(caller.anonymous()
                ? "Anonymous user has no right to access this " + what + "."
                : "You have no right to access this " + what + ".");
    }

    private static String require(String value, Action action, String field) {
        if (value == null) {
            throw new IllegalArgumentException(action.ramName() + " needs a target " + field);
        }
        return value;
    }
}
