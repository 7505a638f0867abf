package io.servletsse.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.servletsse.error.SseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the JSON configuration (docs/CONFIGURATION.md). Every error names the field.
 * Comments ({@code //}, {@code /* *}{@code /}) are allowed, because users paste RAM policy examples
 * that carry them. Unknown fields are errors: a misspelt field must never silently mean "no encryption".
 */
public final class ConfigLoader {
    /** Where the configuration comes from when no init-param names it. */
    public static final String SYSTEM_PROPERTY = "servletsse.config";
    public static final String ENVIRONMENT_VARIABLE = "SERVLETSSE_CONFIG";
    /** Prefix of a location on the class path instead of the file system. */
    public static final String CLASSPATH_PREFIX = "classpath:";
    /** Configuration files larger than this are refused (a config is a few KiB). */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    private static final Set<String> TOP_LEVEL = Set.of("dataDirectory", "paths", "defaultEncryption", "buckets",
            "segmentSize", "masterKeyRotation", "keys", "access", "admin", "uploads", "audit");
    private static final Set<String> UPLOADS_FIELDS = Set.of("digestThreads");
    private static final Set<String> AUDIT_FIELDS = Set.of("file", "maxFileBytes");
    private static final Set<String> ADMIN_FIELDS = Set.of("path", "api", "console", "sessionLifetime", "ossStyleApp",
            "allowedOrigins");
    private static final java.util.regex.Pattern ADMIN_PATH = java.util.regex.Pattern.compile("/([A-Za-z0-9._~-]+/)+");
    private static final java.util.regex.Pattern ORIGIN =
            java.util.regex.Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Set<String> RULE_FIELDS = Set.of("SSEAlgorithm", "KMSMasterKeyID", "KMSDataEncryption");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {}

    /** Shared mapper with the same leniency (comments) for other JSON the product reads. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Loads the configuration at {@code location} (a file path, or {@code classpath:NAME});
     * {@code dataDirectoryOverride}, if not null, replaces the file's data directory.
     */
    public static SseConfig load(String location, Path dataDirectoryOverride, ClassLoader loader) {
        if (location == null || location.isBlank()) {
            throw new ConfigException("servlet-sse configuration: no configuration given (init-param 'config', "
                    + "system property '" + SYSTEM_PROPERTY + "' or environment variable '" + ENVIRONMENT_VARIABLE + "')");
        }
        JsonNode root;
        try (InputStream in = open(location, loader)) {
            byte[] bytes = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new ConfigException("servlet-sse configuration: " + location + " is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message quotes the offending text, which may be an unquoted secret: say where only.
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new ConfigException("servlet-sse configuration: " + location + " is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new ConfigException("servlet-sse configuration: cannot read " + location + ": " + e.getMessage(), e);
        }
        return parse(root, dataDirectoryOverride);
    }

    /** Validates a parsed configuration document. */
    public static SseConfig parse(JsonNode root, Path dataDirectoryOverride) {
        if (root == null || !root.isObject()) {
            throw ConfigException.field("(root)", "must be a JSON object");
        }
        checkFields("(root)", root, TOP_LEVEL);

        Path dataDir = dataDirectoryOverride;
        if (dataDir == null) {
            String d = text(root, "dataDirectory", null);
            if (d == null || d.isBlank()) {
                throw ConfigException.field("dataDirectory", "required (or set the 'dataDirectory' init-param)");
            }
            dataDir = Path.of(d);
        }

        String prefix = "/";
        List<String> excludedPaths = new ArrayList<>();
        Set<String> excludedMethods = new LinkedHashSet<>();
        JsonNode paths = root.path("paths");
        if (!paths.isMissingNode()) {
            requireObject("paths", paths);
            checkFields("paths", paths, Set.of("prefix", "exclude", "excludeMethods"));
            prefix = text(paths, "prefix", "/");
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw ConfigException.field("paths.prefix", "must start and end with '/': " + prefix);
            }
            for (String p : stringList(paths, "exclude", "paths.exclude")) {
                if (!p.startsWith("/")) {
                    throw ConfigException.field("paths.exclude", "patterns must start with '/': " + p);
                }
                excludedPaths.add(p);
            }
            for (String m : stringList(paths, "excludeMethods", "paths.excludeMethods")) {
                excludedMethods.add(m.toUpperCase(Locale.ROOT));
            }
        }

        EncryptionRule defaultRule = root.has("defaultEncryption")
                ? rule("defaultEncryption", root.get("defaultEncryption"))
                : EncryptionRule.none();

        Map<String, EncryptionRule> buckets = new LinkedHashMap<>();
        JsonNode b = root.path("buckets");
        if (!b.isMissingNode()) {
            requireObject("buckets", b);
            for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!PathMapper.isValidBucketName(e.getKey())) {
                    throw ConfigException.field("buckets." + e.getKey(),
                            "not a valid bucket name (3-63 of a-z, 0-9, '-', not starting or ending with '-')");
                }
                buckets.put(e.getKey(), rule("buckets." + e.getKey(), e.getValue()));
            }
        }

        int segmentSize = 65536;
        if (root.has("segmentSize")) {
            JsonNode s = root.get("segmentSize");
            if (!s.canConvertToInt() || !s.isIntegralNumber()) {
                throw ConfigException.field("segmentSize", "must be an integer");
            }
            segmentSize = s.intValue();
            if (Integer.bitCount(segmentSize) != 1 || segmentSize < 4096 || segmentSize > (4 << 20)) {
                throw ConfigException.field("segmentSize", "must be a power of two from 4096 to 4194304, got " + segmentSize);
            }
        }

        Duration rotation = Duration.ofDays(90);
        if (root.has("masterKeyRotation")) {
            String r = text(root, "masterKeyRotation", null);
            try {
                rotation = Duration.parse(r);
            } catch (DateTimeParseException | NullPointerException e) {
                throw ConfigException.field("masterKeyRotation", "must be an ISO-8601 duration such as P90D, got " + r);
            }
            if (rotation.isNegative()) { // PT0S: no automatic rotation (KEYS.md), rotate on demand only
                throw ConfigException.field("masterKeyRotation", "must not be negative (PT0S turns automatic rotation off)");
            }
        }

        boolean hasAccess = !root.path("access").isMissingNode() && !root.path("access").isNull();
        SseConfig.Admin admin = root.has("admin") ? admin(root.get("admin"), prefix, hasAccess) : SseConfig.Admin.OFF;
        int digestThreads = root.has("uploads") ? digestThreads(root.get("uploads")) : SseConfig.AUTO_DIGEST_THREADS;
        SseConfig.Audit audit = root.has("audit") ? audit(root.get("audit")) : SseConfig.Audit.LOGGER;
        return new SseConfig(dataDir, prefix, excludedPaths, excludedMethods, defaultRule, buckets, segmentSize,
                rotation, root.path("keys"), root.path("access"), admin, digestThreads, audit);
    }

    /** The {@code audit} section: {@code file} (absent: the SLF4J logger) and {@code maxFileBytes}. */
    static SseConfig.Audit audit(JsonNode node) {
        requireObject("audit", node);
        checkFields("audit", node, AUDIT_FIELDS);
        String file = text(node, "file", null);
        Path path = null;
        if (file != null) {
            if (file.isBlank()) {
                throw ConfigException.field("audit.file", "must be a file path");
            }
            try {
                path = Path.of(file);
            } catch (java.nio.file.InvalidPathException e) { // a NUL character, among others
                throw ConfigException.field("audit.file", "not a valid path: " + e.getMessage());
            }
            if (path.getFileName() == null) {
                throw ConfigException.field("audit.file", "must name a file: " + file);
            }
        }
        long max = SseConfig.Audit.DEFAULT_MAX_FILE_BYTES;
        JsonNode m = node.get("maxFileBytes");
        if (m != null) {
            if (!m.isIntegralNumber() || !m.canConvertToLong() || m.longValue() < SseConfig.Audit.MIN_MAX_FILE_BYTES
                    || m.longValue() > SseConfig.Audit.MAX_MAX_FILE_BYTES) {
                throw ConfigException.field("audit.maxFileBytes", "must be an integer from "
                        + SseConfig.Audit.MIN_MAX_FILE_BYTES + " (1 MiB) to " + SseConfig.Audit.MAX_MAX_FILE_BYTES
                        + " (1 TiB), got " + m);
            }
            max = m.longValue();
        }
        return new SseConfig.Audit(path, max);
    }

    /** The {@code uploads} section: {@code digestThreads}, 0 to {@value SseConfig#MAX_DIGEST_THREADS}. */
    static int digestThreads(JsonNode node) {
        requireObject("uploads", node);
        checkFields("uploads", node, UPLOADS_FIELDS);
        if (!node.has("digestThreads")) {
            return SseConfig.AUTO_DIGEST_THREADS;
        }
        JsonNode n = node.get("digestThreads");
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0 || n.intValue() > SseConfig.MAX_DIGEST_THREADS) {
            throw ConfigException.field("uploads.digestThreads",
                    "must be an integer from 0 (digest on the request thread) to " + SseConfig.MAX_DIGEST_THREADS + ", got " + n);
        }
        return n.intValue();
    }

    /**
     * The {@code admin} section. The API is on by default when there is an access section (every
     * call is then checked); without one nothing would be checked, so API and console answer only
     * when turned on explicitly. The console is off unless {@code "console": true}.
     */
    static SseConfig.Admin admin(JsonNode node, String bucketPrefix, boolean hasAccess) {
        requireObject("admin", node);
        checkFields("admin", node, ADMIN_FIELDS);
        String path = text(node, "path", SseConfig.Admin.OFF.path());
        if (!ADMIN_PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")) {
            throw ConfigException.field("admin.path", "must start and end with '/' and hold only letters, digits, '.', '_', '~', '-': " + path);
        }
        if (path.startsWith(bucketPrefix)) {
            String first = path.substring(bucketPrefix.length()).split("/")[0];
            if (first.isEmpty() || PathMapper.isValidBucketName(first)) {
                throw ConfigException.field("admin.path", "would hide the bucket '" + first + "' under paths.prefix "
                        + bucketPrefix + "; use a segment that is not a bucket name, such as /_servlet-sse/");
            }
        }
        boolean console = bool(node, "console", false);
        boolean api = bool(node, "api", hasAccess || console);
        if (console && !api) {
            throw ConfigException.field("admin.api", "the console needs the API: remove \"api\": false or the console");
        }
        Duration lifetime = Duration.ofMinutes(30);
        if (node.has("sessionLifetime")) {
            String v = text(node, "sessionLifetime", null);
            try {
                lifetime = Duration.parse(v);
            } catch (DateTimeParseException | NullPointerException e) {
                throw ConfigException.field("admin.sessionLifetime", "must be an ISO-8601 duration such as PT30M, got " + v);
            }
            if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofHours(12)) > 0) {
                throw ConfigException.field("admin.sessionLifetime", "must be from PT1M to PT12H");
            }
        }
        List<String> origins = stringList(node, "allowedOrigins", "admin.allowedOrigins");
        for (String o : origins) {
            if (!ORIGIN.matcher(o).matches()) {
                throw ConfigException.field("admin.allowedOrigins", "not an origin (scheme://host[:port]): " + o);
            }
        }
        return new SseConfig.Admin(path, api, console, lifetime, bool(node, "ossStyleApp", false), origins);
    }

    private static boolean bool(JsonNode node, String name, boolean dflt) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw ConfigException.field("admin." + name, "must be true or false");
        }
        return v.booleanValue();
    }

    /** A rule in the OSS field names of the bucket encryption API: SSEAlgorithm, KMSMasterKeyID, KMSDataEncryption. */
    static EncryptionRule rule(String field, JsonNode node) {
        requireObject(field, node);
        checkFields(field, node, RULE_FIELDS);
        String alg = text(node, "SSEAlgorithm", null);
        if (alg == null) {
            throw ConfigException.field(field + ".SSEAlgorithm", "required: None, AES256, SM4 or KMS");
        }
        String keyId = text(node, "KMSMasterKeyID", null);
        String dataEnc = text(node, "KMSDataEncryption", null);
        if ("None".equals(alg)) {
            if (keyId != null || dataEnc != null) {
                throw ConfigException.field(field, "KMSMasterKeyID and KMSDataEncryption need SSEAlgorithm KMS");
            }
            return EncryptionRule.none();
        }
        SseAlgorithm a = SseAlgorithm.fromHeader(alg);
        if (a == null) {
            throw ConfigException.field(field + ".SSEAlgorithm", "must be None, AES256, SM4 or KMS, got " + alg);
        }
        try {
            return new EncryptionRule(a, keyId, dataEnc);
        } catch (SseException e) {
            throw ConfigException.field(field, e.getMessage());
        }
    }

    private static InputStream open(String location, ClassLoader loader) throws IOException {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String name = location.substring(CLASSPATH_PREFIX.length());
            ClassLoader cl = loader != null ? loader : ConfigLoader.class.getClassLoader();
            InputStream in = cl.getResourceAsStream(name);
            if (in == null) {
                throw new IOException("no class path resource " + name);
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    private static void checkFields(String field, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ConfigException.field(field.equals("(root)") ? name : field + "." + name,
                        "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static void requireObject(String field, JsonNode node) {
        if (!node.isObject()) {
            throw ConfigException.field(field, "must be a JSON object");
        }
    }

    private static String text(JsonNode node, String name, String dflt) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw ConfigException.field(name, "must be a string");
        }
        return v.textValue();
    }

    private static List<String> stringList(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw ConfigException.field(field, "must be an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw ConfigException.field(field, "must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }
}
