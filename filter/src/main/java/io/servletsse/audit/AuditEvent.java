package io.servletsse.audit;

import java.util.Objects;

/**
 * One auditable fact. Every field is a name or an identifier chosen by a client or an operator,
 * never key material: there is deliberately no field that could hold a data key, a wrapped key or
 * a secret, and the type holds strings only.
 *
 * @param requestId the request's id ({@code x-oss-request-id}), or {@code null}
 * @param principal who asked: a user name, {@code anonymous}, or for a failed signature check
 *                  the claimed AccessKey ID as {@code accessKeyId:<id>}
 * @param action    a RAM action ({@code kms:GenerateDataKey}, {@code oss:PutBucketEncryption}, ...)
 *                  or {@code authenticate} for identity failures
 * @param bucket    bucket, or {@code null}
 * @param objectKey object key, or {@code null}
 * @param cmkId     CMK id or alias, or {@code null}
 * @param outcome   what happened
 * @param detail    the OSS error code of a denial or failure, the new rule of a rule change
 *                  (e.g. {@code KMS(key-1)}), or {@code null}
 */
public record AuditEvent(String requestId, String principal, String action, String bucket, String objectKey,
                         String cmkId, Outcome outcome, String detail) {
    /** The result of the audited operation. */
    public enum Outcome {
        SUCCESS("success"),
        DENIED("denied"),
        FAILED("failed");

        private final String json;

        Outcome(String json) {
            this.json = json;
        }

        /** The value of {@code "result"} in the audit line. */
        public String json() {
            return json;
        }
    }

    public AuditEvent {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }
}
