package io.servletsse.auth;

import io.servletsse.error.OssErrors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parts of an HTTP request that identity resolution and OSS signature verification read: a
 * small immutable view, so that this package needs no servlet API. The servlet layer builds it
 * from the {@code HttpServletRequest}.
 *
 * <p>{@link #resourcePath()} is the decoded {@code /bucket/key} path <b>without</b> the servlet
 * context path: the OSS SDKs sign {@code /bucket/key} even when the endpoint has a path
 * (OSS-WIRE.md 3.1). Query parameters keep the difference between {@code ?encryption} (no value,
 * {@link QueryParameter#value()} is {@code null}) and {@code ?encryption=} (empty value), because
 * V1 signs them differently. Header names are case-insensitive; a header may repeat.
 */
public final class SignedRequest {
    /** Upper bound on query parameters and headers we will canonicalize (containers bound them too). */
    static final int MAX_ITEMS = 1000;

    private final String method;
    private final String resourcePath;
    private final List<QueryParameter> query;
    private final Map<String, List<String>> headers;

    /** One query parameter, decoded; {@code value} is {@code null} when the parameter had no '='. */
    public record QueryParameter(String name, String value) {
        public QueryParameter {
            Objects.requireNonNull(name, "name");
        }
    }

    private SignedRequest(Builder b) {
        this.method = b.method;
        this.resourcePath = b.resourcePath;
        this.query = List.copyOf(b.query);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
    }

    /**
     * @param method       HTTP method, e.g. {@code PUT}
     * @param resourcePath decoded path below the context path, starting with '/', e.g. {@code /bkt/dir/a.txt}
     */
    public static Builder builder(String method, String resourcePath) {
        return new Builder(method, resourcePath);
    }

    public String method() {
        return method;
    }

    public String resourcePath() {
        return resourcePath;
    }

    public List<QueryParameter> query() {
        return query;
    }

    public boolean hasQueryParameter(String name) {
        return query.stream().anyMatch(p -> p.name().equals(name));
    }

    /** First value of the header (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All values of the header (any case), possibly empty. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** Header names as first given (one per case-insensitive name). */
    public Set<String> headerNames() {
        return headers.keySet();
    }

    /** The bucket part of {@link #resourcePath()}, or {@code null} for the service root. */
    public String bucket() {
        String p = resourcePath.substring(1);
        int slash = p.indexOf('/');
        String b = slash < 0 ? p : p.substring(0, slash);
        return b.isEmpty() ? null : b;
    }

    /** The object key part of {@link #resourcePath()}, or {@code null} for a bucket request. */
    public String objectKey() {
        String p = resourcePath.substring(1);
        int slash = p.indexOf('/');
        if (slash < 0 || slash == p.length() - 1) {
            return null;
        }
        return p.substring(slash + 1);
    }

    /**
     * Parses a raw query string ({@code HttpServletRequest.getQueryString()}) into decoded
     * parameters, keeping "no '='" apart from "empty value". {@code null} or empty gives none.
     *
     * @throws io.servletsse.error.SseException 400 InvalidArgument on a malformed percent escape
     */
    public static List<QueryParameter> parseQuery(String rawQuery) {
        List<QueryParameter> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (out.size() >= MAX_ITEMS) {
                throw OssErrors.invalidArgument("Too many query parameters.");
            }
            int eq = part.indexOf('=');
            try {
                if (eq < 0) {
                    out.add(new QueryParameter(decode(part), null));
                } else {
                    out.add(new QueryParameter(decode(part.substring(0, eq)), decode(part.substring(eq + 1))));
                }
            } catch (IllegalArgumentException e) {
                throw OssErrors.invalidArgument("The query string is not properly encoded.");
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // Never print header values: Authorization and security tokens live there.
        return "SignedRequest[" + method + " " + resourcePath + ", query=" + query.size()
                + ", headers=" + headers.keySet() + "]";
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final String method;
        private final String resourcePath;
        private final List<QueryParameter> query = new ArrayList<>();
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private int headerCount;

        private Builder(String method, String resourcePath) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(resourcePath, "resourcePath");
            if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("method must be an upper-case HTTP method: " + method);
            }
            if (!resourcePath.startsWith("/")) {
                throw new IllegalArgumentException("resourcePath must start with '/': " + resourcePath);
            }
            this.method = method;
            this.resourcePath = resourcePath;
        }

        /** Adds one decoded query parameter ({@code value} null: no '='). */
        public Builder query(String name, String value) {
            if (query.size() >= MAX_ITEMS) {
                throw OssErrors.invalidArgument("Too many query parameters.");
            }
            query.add(new QueryParameter(name, value));
            return this;
        }

        /** Adds every parameter of a raw query string, see {@link SignedRequest#parseQuery}. */
        public Builder rawQuery(String rawQuery) {
            for (QueryParameter p : parseQuery(rawQuery)) {
                query(p.name(), p.value());
            }
            return this;
        }

        /** Adds one header value (repeat for repeated headers). */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (++headerCount > MAX_ITEMS) {
                throw OssErrors.invalidArgument("Too many headers.");
            }
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public SignedRequest build() {
            return new SignedRequest(this);
        }
    }
}
