package io.servletsse.auth;

import io.servletsse.crypto.Jca;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies OSS header signatures, V1 ({@code Authorization: OSS <AccessKeyId>:<Signature>}) and
 * V4 ({@code Authorization: OSS4-HMAC-SHA256 Credential=...,Signature=...}), the way the OSS
 * service checks what the OSS SDKs send (OSS-WIRE.md 3.2; OSS "Include a V1 signature in the
 * Authorization header" and "Include a V4 signature in the Authorization header").
 *
 * <p>Order of checks: a malformed header is 400 InvalidArgument; an unknown AccessKey ID is 403
 * InvalidAccessKeyId; a missing or unparsable date is 400 InvalidArgument; a request time more
 * than {@link AccessControl#maxClockSkew()} (15 minutes) away from the injected clock is 403
 * RequestTimeTooSkewed; a wrong signature is 403 SignatureDoesNotMatch. Signatures are compared
 * in constant time.
 *
 * <p>V4 note: only {@code x-oss-content-sha256: UNSIGNED-PAYLOAD} (what the SDKs send) is
 * accepted, because this verifier never sees the body and so cannot check a payload hash; any
 * other value is refused rather than trusted.
 */
public final class SignatureVerifier {
    static final String V1_PREFIX = "OSS ";
    static final String V4_PREFIX = "OSS4-HMAC-SHA256 ";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final int MAX_AUTHORIZATION_LENGTH = 8192;

    /**
     * Sub-resources that V1 signs (CanonicalizedResource); any other query parameter is not
     * signed. The list of the OSS Java SDK 3.18 ({@code SignParameters.SIGNED_PARAMTERS}) and of the
     * OSS V1 signature documentation.
     */
    static final Set<String> V1_SIGNED_PARAMETERS = Set.of(
            "accessPoint", "accessPointPolicy", "acl", "append", "asyncFetch", "bucketArchiveDirectRead",
            "bucketInfo", "callback", "callback-var", "cname", "comp", "continuation-token", "cors", "delete",
            "encryption", "endTime", "httpsConfig", "img", "inventory", "inventoryId", "lifecycle", "live",
            "location", "logging", "metaQuery", "objectMeta", "partNumber", "policy", "policyStatus", "position",
            "processConfiguration", "publicAccessBlock", "qos", "qosInfo", "redundancyTransition", "referer",
            "regionList", "replication", "replicationLocation", "replicationProgress", "requestPayment",
            "resourceGroup", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "response-content-language", "response-content-type",
            "response-expires", "restore", "seal", "security-token", "sequential", "startTime", "stat", "status",
            "style", "styleName", "symlink", "tagging", "transferAcceleration", "udf", "udfApplication",
            "udfApplicationLog", "udfImage", "udfImageDesc", "udfName", "uploadId", "uploads", "versionId",
            "versioning", "versions", "vip", "vod", "vpcip", "website", "worm", "wormExtend", "wormId",
            "x-oss-ac-forward-allow", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id",
            "x-oss-async-process", "x-oss-delete", "x-oss-dir", "x-oss-process",
            "x-oss-redundancy-transition-taskid", "x-oss-rename", "x-oss-request-payer",
            "x-oss-target-redundancy-type", "x-oss-traffic-limit", "x-oss-write-get-object-response");

    private static final DateTimeFormatter V4_DATETIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.US);

    private final AccessControl access;
    private final Clock clock;

    public SignatureVerifier(AccessControl access, Clock clock) {
        this.access = Objects.requireNonNull(access, "access");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the request carries an OSS {@code Authorization} header (else it is anonymous). */
    public static boolean isSigned(SignedRequest request) {
        return request.header("Authorization") != null;
    }

    /**
     * Verifies the request's {@code Authorization} header and returns the user whose AccessKey
     * signed it.
     *
     * @throws SseException 400 InvalidArgument, 403 InvalidAccessKeyId, 403 RequestTimeTooSkewed,
     *                      403 SignatureDoesNotMatch
     */
    public User verify(SignedRequest request) {
        List<String> values = request.headers("Authorization");
        if (values.size() != 1) {
            throw invalidAuthorization();
        }
        String authorization = values.get(0);
        if (authorization.length() > MAX_AUTHORIZATION_LENGTH) {
            throw invalidAuthorization();
        }
        if (authorization.startsWith(V1_PREFIX)) {
            return verifyV1(request, authorization.substring(V1_PREFIX.length()));
        }
        if (authorization.startsWith(V4_PREFIX)) {
            return verifyV4(request, authorization.substring(V4_PREFIX.length()));
        }
        if (authorization.startsWith("OSS2 ")) {
            throw OssErrors.invalidArgument("Signature version 2 is not supported; sign with V1 or V4.");
        }
        throw invalidAuthorization();
    }

    /**
     * The AccessKey ID an {@code Authorization} header claims, for the audit log of a failed
     * check; {@code null} if none can be read. Never returns any part of the signature.
     */
    public static String claimedAccessKeyId(SignedRequest request) {
        String a = request.header("Authorization");
        if (a == null) {
            return null;
        }
        String id = null;
        if (a.startsWith(V1_PREFIX) && a.lastIndexOf(':') > V1_PREFIX.length()) {
            id = a.substring(V1_PREFIX.length(), a.lastIndexOf(':')).trim();
        } else if (a.startsWith(V4_PREFIX)) {
            int c = a.indexOf("Credential=");
            int slash = c < 0 ? -1 : a.indexOf('/', c);
            id = slash < 0 ? null : a.substring(c + "Credential=".length(), slash).trim();
        }
        return id != null && !id.isEmpty() && id.length() <= 128 ? id : null;
    }

    // ---------------------------------------------------------------- V1

    private User verifyV1(SignedRequest request, String credentials) {
        int colon = credentials.lastIndexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw OssErrors.invalidArgument("AccessKeyId or Signature is missing in Authorization header value.");
        }
        String accessKeyId = credentials.substring(0, colon).trim();
        String signature = credentials.substring(colon + 1).trim();
        User user = lookup(accessKeyId);
        String date = request.header("Date");
        Instant time = parseRfc1123(date);
        checkSkew(time);
        byte[] secret = user.secretUtf8();
        byte[] expected;
        try {
            expected = Base64.getEncoder().encode(hmac("HmacSHA1", secret, v1StringToSign(request)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        compare(expected, signature);
        return user;
    }

    /** VERB, Content-MD5, Content-Type, Date, CanonicalizedOSSHeaders, CanonicalizedResource. */
    static String v1StringToSign(SignedRequest request) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append('\n');
        sb.append(trimmedOrEmpty(request.header("Content-MD5"))).append('\n');
        sb.append(trimmedOrEmpty(request.header("Content-Type"))).append('\n');
        sb.append(trimmedOrEmpty(request.header("Date"))).append('\n');
        TreeMap<String, String> ossHeaders = new TreeMap<>();
        for (String name : request.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-oss-")) {
                ossHeaders.put(lower, joinedTrimmed(request.headers(name)));
            }
        }
        ossHeaders.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
        sb.append(canonicalResourcePath(request.resourcePath()));
        TreeMap<String, List<String>> sub = new TreeMap<>();
        for (SignedRequest.QueryParameter p : request.query()) {
            if (V1_SIGNED_PARAMETERS.contains(p.name())) {
                sub.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.value());
            }
        }
        char sep = '?';
        for (Map.Entry<String, List<String>> e : sub.entrySet()) {
            for (String v : e.getValue()) {
                sb.append(sep).append(e.getKey());
                if (v != null) {
                    sb.append('=').append(v);
                }
                sep = '&';
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- V4

    private record V4Authorization(String accessKeyId, String date, String region, List<String> additionalHeaders,
                                   String signature) {}

    private User verifyV4(SignedRequest request, String fields) {
        V4Authorization auth = parseV4(fields);
        User user = lookup(auth.accessKeyId());
        String dateTime = request.header("x-oss-date");
        Instant time;
        try {
            time = LocalDateTime.parse(dateTime == null ? "" : dateTime.trim(), V4_DATETIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw OssErrors.invalidArgument("OSS authentication requires a valid x-oss-date.");
        }
        if (!dateTime.trim().startsWith(auth.date())) {
            throw OssErrors.invalidArgument("Invalid signing date in Authorization header.");
        }
        if (!auth.region().equals(access.region())) {
            throw OssErrors.invalidArgument("Invalid signing region in Authorization header.");
        }
        checkSkew(time);
        String payload = request.header("x-oss-content-sha256");
        if (!UNSIGNED_PAYLOAD.equals(payload)) {
            throw OssErrors.invalidArgument("x-oss-content-sha256 must be UNSIGNED-PAYLOAD.");
        }
        String scope = auth.date() + "/" + auth.region() + "/oss/aliyun_v4_request";
        String canonical = v4CanonicalRequest(request, auth.additionalHeaders());
        String stringToSign = "OSS4-HMAC-SHA256\n" + dateTime.trim() + "\n" + scope + "\n"
                + HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] secret = user.secretUtf8();
        byte[] prefix = "aliyun_v4".getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(prefix, prefix.length + secret.length);
        System.arraycopy(secret, 0, key, prefix.length, secret.length);
        Arrays.fill(secret, (byte) 0);
        for (String part : List.of(auth.date(), auth.region(), "oss", "aliyun_v4_request")) {
            byte[] next = hmac("HmacSHA256", key, part);
            Arrays.fill(key, (byte) 0);
            key = next;
        }
        byte[] expected = HexFormat.of().formatHex(hmac("HmacSHA256", key, stringToSign))
                .getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(key, (byte) 0);
        compare(expected, auth.signature());
        return user;
    }

    /** Parses {@code Credential=AK/date/region/oss/aliyun_v4_request[,AdditionalHeaders=a;b],Signature=hex}. */
    private static V4Authorization parseV4(String fields) {
        Map<String, String> kv = new TreeMap<>();
        for (String item : fields.split(",", -1)) {
            String t = item.trim();
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw invalidAuthorization();
            }
            String k = t.substring(0, eq);
            if (!Set.of("Credential", "AdditionalHeaders", "Signature").contains(k) || kv.put(k, t.substring(eq + 1)) != null) {
                throw OssErrors.invalidArgument("Unknown parameter in Authorization header.");
            }
        }
        String credential = kv.get("Credential");
        String signature = kv.get("Signature");
        if (credential == null || signature == null || signature.isEmpty()) {
            throw OssErrors.invalidArgument("AccessKeyId or Signature is missing in Authorization header value.");
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty() || !scope[1].matches("[0-9]{8}") || scope[2].isEmpty()
                || !scope[3].equals("oss") || !scope[4].equals("aliyun_v4_request")) {
            throw invalidAuthorization();
        }
        List<String> additional = new ArrayList<>();
        String ah = kv.get("AdditionalHeaders");
        if (ah != null) {
            if (ah.isEmpty()) {
                throw invalidAuthorization(); // OSS EC 0002-00000209: AdditionalHeaders present but empty
            }
            TreeSet<String> names = new TreeSet<>();
            for (String h : ah.split(";", -1)) {
                if (h.isEmpty()) {
                    throw invalidAuthorization();
                }
                names.add(h.toLowerCase(Locale.ROOT));
            }
            additional.addAll(names);
        }
        return new V4Authorization(scope[0], scope[1], scope[2], additional, signature);
    }

    /**
     * VERB, URI-encoded resource path, sorted encoded query (all parameters), sorted signed
     * headers (content-type, content-md5, x-oss-*, plus the additional ones), the additional header
     * names, and the payload hash.
     */
    static String v4CanonicalRequest(SignedRequest request, List<String> additionalHeaders) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append('\n');
        sb.append(uriEncode(canonicalResourcePath(request.resourcePath()), true)).append('\n');
        List<String[]> params = new ArrayList<>();
        for (SignedRequest.QueryParameter p : request.query()) {
            String v = p.value() == null ? "" : p.value().trim();
            params.add(new String[] {uriEncode(p.name().trim(), false), uriEncode(v, false)});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        String sep = "";
        for (String[] p : params) {
            sb.append(sep).append(p[0]);
            if (!p[1].isEmpty()) {
                sb.append('=').append(p[1]);
            }
            sep = "&";
        }
        sb.append('\n');
        Set<String> additional = new TreeSet<>();
        for (String h : additionalHeaders) {
            if (!isDefaultV4SignedHeader(h)) {
                additional.add(h);
            }
        }
        TreeMap<String, String> signed = new TreeMap<>();
        for (String name : request.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (isDefaultV4SignedHeader(lower) || additional.contains(lower)) {
                signed.put(lower, joinedTrimmed(request.headers(name)));
            }
        }
        signed.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
        sb.append('\n');
        sb.append(String.join(";", additional)).append('\n');
        String payload = request.header("x-oss-content-sha256");
        sb.append(payload == null || payload.isEmpty() ? UNSIGNED_PAYLOAD : payload);
        return sb.toString();
    }

    private static boolean isDefaultV4SignedHeader(String lowerName) {
        return lowerName.equals("content-type") || lowerName.equals("content-md5") || lowerName.startsWith("x-oss-");
    }

    /** RFC 3986 percent-encoding (upper-case hex) of the UTF-8 bytes; '/' kept if {@code keepSlash}. */
    static String uriEncode(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- shared

    /**
     * The signed resource: {@code /bucket/key}, or {@code /bucket/} for a bucket request even if
     * the client left out the trailing slash (the SDKs always sign {@code /bucket/}).
     */
    static String canonicalResourcePath(String path) {
        if (path.length() > 1 && path.indexOf('/', 1) < 0) {
            return path + "/";
        }
        return path;
    }

    private User lookup(String accessKeyId) {
        return access.userByAccessKeyId(accessKeyId).orElseThrow(OssErrors::invalidAccessKeyId);
    }

    private void checkSkew(Instant requestTime) {
        Duration skew = Duration.between(requestTime, clock.instant()).abs();
        if (skew.compareTo(access.maxClockSkew()) > 0) {
            throw OssErrors.requestTimeTooSkewed();
        }
    }

    private static Instant parseRfc1123(String date) {
        if (date == null) {
            throw OssErrors.invalidArgument("OSS authentication requires a valid Date.");
        }
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw OssErrors.invalidArgument("OSS authentication requires a valid Date.");
        }
    }

    private static void compare(byte[] expected, String provided) {
        if (!MessageDigest.isEqual(expected, provided.getBytes(StandardCharsets.US_ASCII))) {
            throw OssErrors.signatureDoesNotMatch();
        }
    }

    private static SseException invalidAuthorization() {
        return OssErrors.invalidArgument("Authorization header is invalid.");
    }

    private static String trimmedOrEmpty(String v) {
        return v == null ? "" : v.trim();
    }

    private static String joinedTrimmed(List<String> values) {
        List<String> t = new ArrayList<>();
        values.forEach(v -> t.add(v.trim()));
        return String.join(",", t);
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Jca.mac(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
