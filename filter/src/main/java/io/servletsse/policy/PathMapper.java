package io.servletsse.policy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps a request path (relative to the servlet context) to a bucket and object key. Buckets are
 * the first path segment under the configured prefix: {@code <prefix>{bucket}/{key...}}.
 *
 * <p>Bucket names follow OSS naming (3-63 chars of lower-case letters, digits, hyphens; not starting
 * or ending with a hyphen) so no path trick ({@code ..}, encoded slashes) can name a bucket.
 */
public final class PathMapper {
    /** OSS bucket naming rule. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    /** OSS object keys are at most 1023 bytes. */
    public static final int MAX_KEY_BYTES = 1023;

    private final String prefix;

    /** {@code prefix} starts and ends with {@code /}; {@code "/"} maps the whole context. */
    public PathMapper(String prefix) {
        if (prefix == null || !prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("path prefix must start and end with '/': " + prefix);
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public static boolean isValidBucketName(String name) {
        return name != null && BUCKET.matcher(name).matches();
    }

    /**
     * The bucket path of a decoded request path, or empty when the path is outside the prefix, names
     * no bucket, or is not a valid bucket/key (the filter then leaves the request alone, or rejects it
     * if it would have to encrypt it).
     */
    public Optional<BucketPath> map(String path) {
        if (path == null || !path.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!isValidBucketName(bucket)) {
            return Optional.empty();
        }
        if (slash < 0 || slash == rest.length() - 1) {
            return Optional.of(new BucketPath(bucket, null));
        }
        String key = rest.substring(slash + 1);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new BucketPath(bucket, key));
    }
}
