package io.servletsse.format;

/**
 * Which stored bytes serve a plaintext range: read {@code [ciphertextOffset, ciphertextEnd)} of the
 * stored object (whole segments), decrypt, then emit plaintext {@code [first, lastInclusive]}.
 *
 * @param first            first plaintext byte wanted
 * @param lastInclusive    last plaintext byte wanted
 * @param plaintextLength  plaintext length of the whole object
 * @param firstSegment     index of the first segment read
 * @param ciphertextOffset stored offset of the first segment read
 * @param ciphertextEnd    stored offset just past the last segment read
 */
public record RangePlan(long first, long lastInclusive, long plaintextLength, long firstSegment,
        long ciphertextOffset, long ciphertextEnd) {

    /** Number of plaintext bytes the range yields. */
    public long length() {
        return lastInclusive - first + 1;
    }

    /** Number of stored bytes to read. */
    public long ciphertextLength() {
        return ciphertextEnd - ciphertextOffset;
    }
}
