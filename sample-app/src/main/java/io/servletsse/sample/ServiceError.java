package io.servletsse.sample;

import java.util.Map;

/**
 * An error the file service answers with, rendered as OSS XML by {@link ErrorResponses}. Codes
 * follow the OSS error-code list so that the OSS SDK maps them to the usual exceptions.
 */
final class ServiceError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    ServiceError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ServiceError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false); // control flow, not a bug: no stack trace
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Extra headers the error response carries (for example Content-Range on 416). */
    Map<String, String> headers() {
        return headers;
    }

    static ServiceError noSuchBucket() {
        return new ServiceError(404, "NoSuchBucket", "The specified bucket does not exist.");
    }

    static ServiceError noSuchKey() {
        return new ServiceError(404, "NoSuchKey", "The specified key does not exist.");
    }

    static ServiceError invalidBucketName() {
        return new ServiceError(400, "InvalidBucketName", "The specified bucket is not valid.");
    }

    static ServiceError invalidObjectName(String why) {
        return new ServiceError(400, "InvalidObjectName", "The specified object is not valid: " + why);
    }

    static ServiceError invalidArgument(String message) {
        return new ServiceError(400, "InvalidArgument", message);
    }

    static ServiceError invalidDigest() {
        return new ServiceError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
    }

    static ServiceError bucketNotEmpty() {
        return new ServiceError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.");
    }

    static ServiceError invalidRange(long size) {
        return new ServiceError(416, "InvalidRange", "The requested range cannot be satisfied.",
                Map.of("Content-Range", "bytes */" + size));
    }

    static ServiceError preconditionFailed() {
        return new ServiceError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    }

    static ServiceError notImplemented(String what) {
        return new ServiceError(501, "NotImplemented", what + " is not implemented by this file service.");
    }

    static ServiceError methodNotAllowed() {
        return new ServiceError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }
}
