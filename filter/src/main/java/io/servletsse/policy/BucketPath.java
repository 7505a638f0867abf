package io.servletsse.policy;

/**
 * Where a request lands: a bucket, and for object requests the object key (decoded, may contain
 * {@code /}). {@code key} is {@code null} for bucket-level requests ({@code /bucket} or {@code /bucket/}).
 */
public record BucketPath(String bucket, String key) {
    public boolean isObject() {
        return key != null;
    }
}
