package io.servletsse.console;

import io.servletsse.auth.AccessControl;
import io.servletsse.auth.Action;
import io.servletsse.auth.Caller;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;

/**
 * Permission checks of the admin API for actions whose resource is not one bucket (KMS keys and
 * aliases, the key and alias collections, the bucket list). Same rules and audit line as the
 * filter's {@link io.servletsse.auth.Authorizer}, which needs a bucket for every target. Without an
 * access section nothing is checked (documented: then the admin API answers only when enabled
 * explicitly).
 */
final class Permissions {
    private final SseRuntime runtime;
    private final String requestId;
    private final Caller caller;

    Permissions(SseRuntime runtime, String requestId, Caller caller) {
        this.runtime = runtime;
        this.requestId = requestId;
        this.caller = caller;
    }

    /** {@code acs:kms:<region>:<account>:key/<id>} or {@code ...:alias/<name>}. */
    String kmsArn(String keyIdOrAlias) {
        return runtime.access().map(a -> a.control().kmsKeyArn(keyIdOrAlias)).orElse("");
    }

    /** The KMS collections: {@code acs:kms:<region>:<account>:key} (CreateKey, ListKeys) or {@code :alias} (ListAliases). */
    String kmsCollectionArn(String what) {
        return runtime.access().map(a -> "acs:kms:" + a.control().region() + ":" + a.control().accountId() + ":" + what)
                .orElse("");
    }

    /** ListBuckets' resource, {@code acs:oss:*:<account>:*}. */
    String allBucketsArn() {
        return runtime.access().map(a -> "acs:oss:*:" + a.control().accountId() + ":*").orElse("");
    }

    boolean allowed(Action action, String arn) {
        return runtime.access().map(a -> a.authorizer().evaluate(caller, action, arn).allowed()).orElse(true);
    }

    /** Returns if allowed; else writes the audit line and throws 403 (OSS/KMS wording). */
    void require(Action action, String arn, String bucket, String keyId) {
        if (allowed(action, arn)) {
            return;
        }
        SseException e = action.isKms() ? OssErrors.forbiddenByKms()
                : OssErrors.accessDenied(caller.anonymous() ? "Anonymous user has no right to access this bucket."
                        : "You have no right to access this bucket.");
        runtime.audit().denied(requestId, caller.name(), action.ramName(), bucket, null, keyId, e.ossCode());
        throw e;
    }

    static boolean checks(SseRuntime runtime) {
        return runtime.access().isPresent();
    }

    static AccessControl control(SseRuntime runtime) {
        return runtime.access().map(SseRuntime.Access::control).orElse(null);
    }
}
