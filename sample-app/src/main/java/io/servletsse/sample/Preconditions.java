package io.servletsse.sample;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * Conditional GET/HEAD (RFC 9110 section 13.2.2 order): If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since. OSS answers 412 PreconditionFailed or 304 Not Modified.
 */
final class Preconditions {
    private Preconditions() {}

    /** True if the response is 304 Not Modified; throws PreconditionFailed (412). */
    static boolean notModified(HttpServletRequest req, StoredObject o) {
        Instant modified = HttpDates.toSeconds(o.lastModified());
        String ifMatch = req.getHeader("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, o.etag())) {
                throw ServiceError.preconditionFailed();
            }
        } else {
            Instant since = HttpDates.parseHeader(req.getHeader("If-Unmodified-Since"));
            if (since != null && modified.isAfter(since)) {
                throw ServiceError.preconditionFailed();
            }
        }
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, o.etag());
        }
        Instant since = HttpDates.parseHeader(req.getHeader("If-Modified-Since"));
        return since != null && !modified.isAfter(since);
    }

    /** Does the If-Range validator still describe the object (else the whole object is sent)? */
    static boolean ifRangeHolds(HttpServletRequest req, StoredObject o) {
        String v = req.getHeader("If-Range");
        if (v == null) {
            return true;
        }
        Instant date = HttpDates.parseHeader(v);
        if (date != null) {
            return HttpDates.toSeconds(o.lastModified()).equals(date);
        }
        return v.trim().equals(o.quotedEtag());
    }

    /** Any entity tag of the comma-separated list (weak or strong, quotes optional) equals ours, or "*". */
    private static boolean matches(String header, String etag) {
        for (String t : header.split(",")) {
            String tag = t.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equalsIgnoreCase(etag)) {
                return true;
            }
        }
        return false;
    }
}
