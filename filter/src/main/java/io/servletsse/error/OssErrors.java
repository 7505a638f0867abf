package io.servletsse.error;

/**
 * Factories for the OSS errors the product answers with. Codes, statuses and messages follow
 * the OSS documentation (see shared/design/OSS-WIRE.md section 1.2 and 2).
 */
public final class OssErrors {
    private OssErrors() {}

    public static SseException invalidArgument(String message) {
        return new SseException(400, "InvalidArgument", message);
    }

    /** OSS: "The Encryption request you specified is not valid. Supported value: AES256/SM4/KMS." */
    public static SseException invalidEncryptionAlgorithm() {
        return new SseException(400, "InvalidEncryptionAlgorithmError",
                "The Encryption request you specified is not valid. Supported value: AES256/SM4/KMS.");
    }

    /** OSS: "The KMS Data Encryption request you specified is not valid. Supported value:SM4". */
    public static SseException invalidDataEncryptionAlgorithm() {
        return new SseException(400, "InvalidDataEncryptionAlgorithmError",
                "The KMS Data Encryption request you specified is not valid. Supported value:SM4");
    }

    /** OSS: "The specified parameter KMS keyId is not valid." */
    public static SseException invalidKmsKeyId() {
        return new SseException(400, "InvalidParameter", "The specified parameter KMS keyId is not valid.");
    }

    /** OSS: "The specified parameter KMS keyId is not found." */
    public static SseException keyNotFound() {
        return new SseException(404, "KeyNotFound", "The specified parameter KMS keyId is not found.");
    }

    /** OSS: "The specified Alias is not found." */
    public static SseException aliasNotFound() {
        return new SseException(404, "AliasNotFound", "The specified Alias is not found.");
    }

    /** OSS: "This user does not turn on KMS service." */
    public static SseException kmsServiceNotEnabled() {
        return new SseException(403, "KmsServiceNotEnabled", "This user does not turn on KMS service.");
    }

    /** OSS: "This request is forbidden by kms." */
    public static SseException forbiddenByKms() {
        return new SseException(403, "AccessDenied", "This request is forbidden by kms.");
    }

    public static SseException accessDenied(String message) {
        return new SseException(403, "AccessDenied", message);
    }

    public static SseException malformedXml() {
        return new SseException(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema.");
    }

    public static SseException invalidDigest() {
        return new SseException(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
    }

    public static SseException invalidRange(String message) {
        return new SseException(416, "InvalidRange", message);
    }

    /** A key service (master key store, KMS, HSM) could not be reached or failed: retryable. */
    public static SseException keyServiceUnavailable(String message, Throwable cause) {
        return new SseException(503, "ServiceUnavailable", message, cause);
    }

    public static SseException internal(String message, Throwable cause) {
        return new SseException(500, "InternalError", message, cause);
    }

    /** OSS 403: "The OSS Access Key Id you provided does not exist in our records." */
    public static SseException invalidAccessKeyId() {
        return new SseException(403, "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist in our records.");
    }

    /** OSS 403: "The request signature we calculated does not match the signature you provided." */
    public static SseException signatureDoesNotMatch() {
        return new SseException(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.");
    }

    /** OSS 403: the request time is more than 15 minutes from the server's time. */
    public static SseException requestTimeTooSkewed() {
        return new SseException(403, "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.");
    }

    /** OSS 404 for GetBucketEncryption on a bucket without a rule (EC 0005-00000004). */
    public static SseException noSuchServerSideEncryptionRule() {
        return new SseException(404, "NoSuchServerSideEncryptionRule",
                "The server side encryption configuration was not found.");
    }
}
