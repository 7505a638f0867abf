package io.servletsse.sample;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request path names: the service ({@code /}), a bucket ({@code /b} or {@code /b/}) or an
 * object ({@code /b/k/e/y}). Parsed from the raw (still percent-encoded) path so that the checks
 * see exactly what the client sent, before any container normalisation.
 *
 * <p>Keys become file paths, so every segment must be a plain file name: no empty, {@code .} or
 * {@code ..} segments, no encoded separators ({@code %2F}, {@code %5C}), no control characters,
 * at most 255 UTF-8 bytes. That rules out path traversal by construction rather than by checking
 * the resolved path afterwards (which {@link ObjectStore} does as well, belt and braces).
 */
record ObjectPath(String bucket, String key, List<String> keySegments) {
    // OSS bucket names: 3-63 characters, lower-case letters, digits and hyphens, letter or digit at both ends.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    private static final int MAX_KEY_BYTES = 1023; // the OSS limit
    private static final int MAX_SEGMENT_BYTES = 255; // file name limit of common file systems

    boolean isService() {
        return bucket == null;
    }

    boolean isBucket() {
        return bucket != null && key == null;
    }

    static ObjectPath parse(String rawPath) {
        String p = rawPath == null ? "" : rawPath;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return new ObjectPath(null, null, List.of());
        }
        int slash = p.indexOf('/');
        String bucket = decode(slash < 0 ? p : p.substring(0, slash));
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw ServiceError.invalidBucketName();
        }
        String rawKey = slash < 0 ? "" : p.substring(slash + 1);
        if (rawKey.isEmpty()) {
            return new ObjectPath(bucket, null, List.of());
        }
        List<String> segments = keySegments(rawKey);
        return checkLength(new ObjectPath(bucket, String.join("/", segments), List.copyOf(segments)));
    }

    /** An object named by an already decoded key (for example from a DeleteObjects body). */
    static ObjectPath ofKey(String bucket, String key) {
        List<String> segments = new ArrayList<>();
        for (String s : key.split("/", -1)) {
            segments.add(checkSegment(s));
        }
        return checkLength(new ObjectPath(bucket, key, List.copyOf(segments)));
    }

    private static List<String> keySegments(String rawKey) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawKey.split("/", -1)) {
            String s = decode(raw);
            if (s == null) {
                throw ServiceError.invalidObjectName("not valid percent-encoded UTF-8");
            }
            segments.add(checkSegment(s));
        }
        return segments;
    }

    private static String checkSegment(String s) {
        if (s.isEmpty()) {
            throw ServiceError.invalidObjectName("empty path segment (or a trailing '/')");
        }
        if (s.equals(".") || s.equals("..")) {
            throw ServiceError.invalidObjectName("'.' and '..' segments are not allowed");
        }
        if (s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
            throw ServiceError.invalidObjectName("'\\' and encoded '/' are not allowed");
        }
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ServiceError.invalidObjectName("control characters are not allowed");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw ServiceError.invalidObjectName("a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
        }
        return s;
    }

    private static ObjectPath checkLength(ObjectPath p) {
        if (p.key().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw ServiceError.invalidObjectName("longer than " + MAX_KEY_BYTES + " bytes");
        }
        return p;
    }

    /** Percent-decodes one segment as strict UTF-8 ('+' stays '+': this is a path, not a form); null if malformed. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
