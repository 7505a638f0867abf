package io.servletsse.sample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The two date forms OSS uses: RFC 1123 in headers, ISO 8601 with milliseconds in XML bodies. */
final class HttpDates {
    // Not DateTimeFormatter.RFC_1123_DATE_TIME: it prints "3 Jun", the SDK parses "dd" (zero-padded).
    private static final DateTimeFormatter HEADER =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    // The SDK's DateUtil.parseIso8601Date pattern: yyyy-MM-dd'T'HH:mm:ss.SSS'Z'.
    private static final DateTimeFormatter XML =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {}

    static String header(Instant t) {
        return HEADER.format(t);
    }

    static String xml(Instant t) {
        return XML.format(t);
    }

    /** Parses an HTTP date (If-Modified-Since and friends); null when absent or malformed, as RFC 9110 says to ignore it. */
    static Instant parseHeader(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** HTTP dates have whole seconds; comparisons against them must drop the file system's fraction. */
    static Instant toSeconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
