package io.servletsse.policy;

/**
 * The values of {@code x-oss-server-side-encryption} and of {@code SSEAlgorithm} in the bucket
 * encryption XML (OSS: "Supported value: AES256/SM4/KMS").
 */
public enum SseAlgorithm {
    AES256,
    SM4,
    KMS;

    /** Exact, case-sensitive match as OSS does; {@code null} for anything else. */
    public static SseAlgorithm fromHeader(String value) {
        if (value == null) {
            return null;
        }
        for (SseAlgorithm a : values()) {
            if (a.name().equals(value)) {
                return a;
            }
        }
        return null;
    }
}
