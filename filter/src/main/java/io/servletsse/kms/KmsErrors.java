package io.servletsse.kms;

import io.servletsse.error.SseException;

/**
 * KMS errors that {@link io.servletsse.error.OssErrors} does not have.
 *
 * <p>Key state: Alibaba Cloud KMS answers GenerateDataKey and Decrypt on a key that is not Enabled
 * with HTTP 409 and {@code Rejected.Disabled}, {@code Rejected.PendingDeletion} or
 * {@code Rejected.PendingImport}, and admin operations not allowed in a state with 409
 * {@code Rejected.StateModifiedFailed} (KMS developer reference, "Impact of CMK status on API
 * operations": "All rejected results return HTTP status code 409"). OSS documents no code of its own
 * for these cases (its SSE error list, OSS-WIRE.md 1.2, has KeyNotFound/AliasNotFound/
 * KmsServiceNotEnabled/InvalidParameter and 403 "This request is forbidden by kms" for permissions
 * only), and the codes it does document for KMS are KMS's own (KMS: 404 Forbidden.KeyNotFound, OSS:
 * 404 KeyNotFound). So we pass KMS's state answer through unchanged: 409 and the KMS code.
 */
final class KmsErrors {
    private KmsErrors() {}

    static SseException notEnabled(KeyState state) {
        return switch (state) {
            case DISABLED -> new SseException(409, "Rejected.Disabled", "The specified KMS key is disabled.");
            case PENDING_DELETION -> new SseException(409, "Rejected.PendingDeletion",
                    "The specified KMS key is pending deletion.");
            case PENDING_IMPORT -> new SseException(409, "Rejected.PendingImport",
                    "The key material of the specified KMS key has not been imported.");
            case ENABLED -> throw new IllegalArgumentException("enabled");
        };
    }

    static SseException stateModifiedFailed(String message) {
        return new SseException(409, "Rejected.StateModifiedFailed", message);
    }

    /** KMS CreateAlias on a name in use. */
    static SseException aliasExists() {
        return new SseException(409, "Rejected.AlreadyExists", "The specified Alias already exists.");
    }

    static SseException invalidParameter(String message) {
        return new SseException(400, "InvalidParameter", message);
    }

    static SseException unsupported(String message) {
        return new SseException(400, "UnsupportedOperation", message);
    }

    /** KMS ImportKeyMaterial with an unknown or expired token. */
    static SseException invalidImportToken() {
        return new SseException(400, "InvalidImportToken", "The import token is not valid or has expired.");
    }

    /** KMS ImportKeyMaterial with material that does not unwrap or is not 32 bytes. */
    static SseException invalidKeyMaterial() {
        return new SseException(400, "InvalidParameter", "The specified EncryptedKeyMaterial is not valid.");
    }
}
