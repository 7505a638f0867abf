package io.servletsse.servlet;

import io.servletsse.error.OssErrors;

/**
 * The first range of a {@code Range: bytes=...} header (OSS serves only the first of several
 * ranges). Unresolved: {@link #resolve} applies it to an object length.
 *
 * @param start  first byte, or -1 for a suffix range
 * @param end    last byte inclusive, or -1 for open-ended ({@code a-}); for a suffix range, the suffix length
 */
record ByteRange(long start, long end) {
    /** Longest Range header we look at; longer ones are refused (bounded input). */
    static final int MAX_HEADER_LENGTH = 8192;

    /**
     * Parses the header; {@code null} when absent or not a valid bytes range — OSS then ignores
     * the Range and serves the whole object. Only the first range of a list is used.
     */
    static ByteRange parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw OssErrors.invalidArgument("The Range header is too long.");
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        int comma = h.indexOf(',');
        String spec = (comma < 0 ? h.substring(6) : h.substring(6, comma)).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                return new ByteRange(-1, parseNonNegative(b));
            }
            long start = parseNonNegative(a);
            if (b.isEmpty()) {
                return new ByteRange(start, -1);
            }
            long end = parseNonNegative(b);
            return end < start ? null : new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseNonNegative(String s) {
        if (s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }

    /**
     * Whether the range lies inside an object of {@code length} bytes (0 to length - 1). OSS serves
     * a Range that does not (end past the last byte, start past it, a suffix longer than the
     * object) as if there were none: 200 and the whole object, unless the request carries
     * {@code x-oss-range-behavior: standard} (OSS "HTTP Range" knowledge article 39571).
     */
    boolean fits(long length) {
        if (start < 0) {
            return end > 0 && end <= length;
        }
        return start < length && end < length;
    }

    /**
     * With {@code x-oss-range-behavior: standard}: the inclusive byte interval this range selects in
     * an object of {@code length} bytes (an end past the object clamped), or
     * {@code null} if unsatisfiable (start at or past the end, or an empty suffix).
     */
    long[] resolve(long length) {
        if (start < 0) {
            if (end == 0 || length == 0) {
                return null;
            }
            long n = Math.min(end, length);
            return new long[] {length - n, length - 1};
        }
        if (start >= length) {
            return null;
        }
        long last = end < 0 ? length - 1 : Math.min(end, length - 1);
        return new long[] {start, last};
    }
}
