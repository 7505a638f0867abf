package io.servletsse.servlet;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 1123 dates as HTTP (and the OSS SDK's {@code EEE, dd MMM yyyy HH:mm:ss z} parser) expects them. */
final class HttpDates {
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {}

    static String format(long epochMillis) {
        return RFC_1123.format(Instant.ofEpochMilli(epochMillis));
    }

    /** An HTTP date (IMF-fixdate) as epoch milliseconds; IllegalArgumentException if it is not one (Servlet getDateHeader). */
    static long parse(String value) {
        try {
            return java.time.ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an HTTP date: " + value, e);
        }
    }
}
