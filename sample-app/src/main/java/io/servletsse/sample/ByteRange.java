package io.servletsse.sample;

/**
 * A satisfiable byte range of an object, from a {@code Range} header, with OSS semantics:
 * <ul>
 *   <li>{@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n};</li>
 *   <li>several ranges: only the first is served (OSS does not send multipart/byteranges);</li>
 *   <li>a header that does not parse, or a unit other than bytes, is ignored: the whole object is served;</li>
 *   <li>a range not inside the object (an end past the last byte, a start past it, a suffix longer
 *       than the object) is ignored too, as OSS does by default;</li>
 *   <li>with {@code x-oss-range-behavior: standard} (and RFC 9110) instead: an end past the object
 *       is clamped, and a start at or beyond the size (or a suffix of zero) is unsatisfiable: 416
 *       InvalidRange with {@code Content-Range: bytes *}{@code /size}.</li>
 * </ul>
 */
record ByteRange(long first, long last, long total) {

    long length() {
        return last - first + 1;
    }

    String contentRange() {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /** The range to serve, or null to serve the whole object; InvalidRange if unsatisfiable (standard only). */
    static ByteRange parse(String header, long size, boolean standard) {
        try {
            return parseStrict(header, size, standard);
        } catch (NotARange e) {
            return null;
        }
    }

    private static ByteRange parseStrict(String header, long size, boolean standard) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6);
        int comma = spec.indexOf(',');
        if (comma >= 0) {
            spec = spec.substring(0, comma);
        }
        spec = spec.trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        Long start = number(spec.substring(0, dash).trim());
        Long end = number(spec.substring(dash + 1).trim());
        if (start == null && end == null) {
            return null;
        }
        if (start == null) { // suffix: the last n bytes
            if (!standard && (end == 0 || end > size)) {
                return null;
            }
            if (end == 0 || size == 0) {
                throw ServiceError.invalidRange(size);
            }
            return new ByteRange(Math.max(0, size - end), size - 1, size);
        }
        if (end != null && end < start) {
            return null; // syntactically invalid: ignored
        }
        if (!standard && (start >= size || end != null && end >= size)) {
            return null;
        }
        if (start >= size) {
            throw ServiceError.invalidRange(size);
        }
        long last = end == null ? size - 1 : Math.min(end, size - 1);
        return new ByteRange(start, last, size);
    }

    /** A non-negative decimal, null when empty; not a number at all makes the whole header invalid. */
    private static Long number(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NotARange();
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NotARange(); // more than 19 digits
        }
    }

    /** Internal signal: the header does not parse, so it is ignored. */
    private static final class NotARange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotARange() {
            super(null, null, false, false);
        }
    }
}
