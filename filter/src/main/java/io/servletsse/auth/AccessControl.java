package io.servletsse.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The access configuration: how callers are identified, who the users and groups are, and which
 * RAM-style policies each is given. Immutable and fully validated: every policy a user, group or
 * the anonymous caller names exists, AccessKey IDs are unique.
 *
 * <p>Entry points: {@link #fromJson(JsonNode)} for the {@code "access"} section of the
 * configuration file (shape in docs/PERMISSIONS.md; errors name the bad field, e.g.
 * {@code access.users[1].accessKeyId}), or {@link #builder()}.
 */
public final class AccessControl {
    /** OSS: requests more than 15 minutes off the server's clock fail with RequestTimeTooSkewed. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9A-Za-z\\-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9\\-]{1,64}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~\\-]{1,128}");
    private static final Set<String> TOP_KEYS = Set.of("identity", "header", "accountId", "region",
            "maxClockSkewSeconds", "users", "groups", "policies", "authenticated", "anonymous");
    private static final Set<String> USER_KEYS =
            Set.of("name", "accessKeyId", "accessKeySecret", "accessKeySecretEnv", "groups", "policies");
    private static final Set<String> GROUP_KEYS = Set.of("name", "policies");
    private static final Set<String> POLICY_SET_KEYS = Set.of("policies");

    private final IdentityMode identityMode;
    private final String identityHeader;
    private final String accountId;
    private final String region;
    private final Duration maxClockSkew;
    private final Map<String, User> usersByName;
    private final Map<String, User> usersByAccessKeyId;
    private final Map<String, Group> groups;
    private final Map<String, PolicyDocument> policies;
    private final List<String> authenticatedPolicies;
    private final List<String> anonymousPolicies;

    private AccessControl(Builder b) {
        this.identityMode = b.identityMode;
        this.identityHeader = b.identityHeader;
        this.accountId = b.accountId;
        this.region = b.region;
        this.maxClockSkew = b.maxClockSkew;
        this.usersByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.usersByName));
        Map<String, User> byAk = new LinkedHashMap<>();
        b.usersByName.values().forEach(u -> {
            if (u.accessKeyId() != null) {
                byAk.put(u.accessKeyId(), u);
            }
        });
        this.usersByAccessKeyId = Collections.unmodifiableMap(byAk);
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(b.groups));
        this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(b.policies));
        this.authenticatedPolicies = List.copyOf(b.authenticatedPolicies);
        this.anonymousPolicies = List.copyOf(b.anonymousPolicies);
    }

    /**
     * The JSON reader for configuration files and policy documents: accepts {@code //} and
     * {@code /* *}{@code /} comments (the OSS documentation's policy examples carry them, and
     * users paste them as they are) and rejects duplicate keys (a second {@code "Effect"} must
     * not silently override the first).
     */
    public static ObjectMapper configMapper() {
        return CONFIG_MAPPER.copy(); // a copy: callers may reconfigure theirs
    }

    private static final ObjectMapper CONFIG_MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The shared reader, for this package's own parsing (never handed out). */
    static ObjectMapper reader() {
        return CONFIG_MAPPER;
    }

    /** Parses the {@code "access"} section from JSON text (with {@link #configMapper()}). */
    public static AccessControl parse(String json) {
        try {
            return fromJson(CONFIG_MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("access: not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Builds the configuration from the {@code "access"} JSON object.
     *
     * @throws IllegalArgumentException whose message starts with the path of the bad field
     */
    public static AccessControl fromJson(JsonNode access) {
        return fromJson(access, System::getenv);
    }

    /**
     * As {@link #fromJson(JsonNode)}, reading {@code accessKeySecretEnv} variables from
     * {@code environment} (tests pass a map; production passes {@code System::getenv}).
     */
    public static AccessControl fromJson(JsonNode access, Function<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        if (access == null || !access.isObject()) {
            throw new IllegalArgumentException("access: must be an object");
        }
        checkKeys("access", access, TOP_KEYS);
        Builder b = builder();
        String identity = text(access, "identity", "access.identity", true);
        IdentityMode mode = IdentityMode.fromConfigName(identity);
        if (mode == null) {
            throw new IllegalArgumentException("access.identity: must be \"accessKey\", \"principal\" or \"header\", not \""
                    + identity + "\"");
        }
        b.identityMode(mode);
        String header = text(access, "header", "access.header", false);
        if (header != null) {
            wrap("access.header", () -> b.identityHeader(header));
        }
        String accountId = text(access, "accountId", "access.accountId", true);
        wrap("access.accountId", () -> b.accountId(accountId));
        String region = text(access, "region", "access.region", true);
        wrap("access.region", () -> b.region(region));
        JsonNode skew = access.get("maxClockSkewSeconds");
        if (skew != null) {
            if (!skew.canConvertToInt()) {
                throw new IllegalArgumentException("access.maxClockSkewSeconds: must be an integer");
            }
            wrap("access.maxClockSkewSeconds", () -> b.maxClockSkew(Duration.ofSeconds(skew.asInt())));
        }
        JsonNode policies = access.get("policies");
        if (policies != null) {
            if (!policies.isObject()) {
                throw new IllegalArgumentException("access.policies: must be an object of name: policy document");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = policies.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = "access.policies." + e.getKey();
                PolicyDocument doc;
                try {
                    doc = PolicyDocument.fromJson(e.getKey(), e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
                }
                wrap(where, () -> b.policy(doc));
            }
        }
        JsonNode groups = array(access, "groups");
        for (int i = 0; i < groups.size(); i++) {
            String where = "access.groups[" + i + "]";
            JsonNode g = groups.get(i);
            checkKeys(where, g, GROUP_KEYS);
            String name = text(g, "name", where + ".name", true);
            List<String> ps = strings(g, "policies", where + ".policies");
            wrap(where, () -> b.group(new Group(name, ps)));
        }
        JsonNode users = array(access, "users");
        for (int i = 0; i < users.size(); i++) {
            String where = "access.users[" + i + "]";
            JsonNode u = users.get(i);
            checkKeys(where, u, USER_KEYS);
            String name = text(u, "name", where + ".name", true);
            User.Builder ub = wrap(where + ".name", () -> User.builder(name));
            String ak = text(u, "accessKeyId", where + ".accessKeyId", false);
            String sk = text(u, "accessKeySecret", where + ".accessKeySecret", false);
            String skEnv = text(u, "accessKeySecretEnv", where + ".accessKeySecretEnv", false);
            if (skEnv != null) {
                // Keeps the secret out of the configuration file: it comes from the service's environment.
                if (sk != null) {
                    throw new IllegalArgumentException(where + ": give accessKeySecret or accessKeySecretEnv, not both");
                }
                sk = environment.apply(skEnv);
                if (sk == null || sk.isEmpty()) {
                    throw new IllegalArgumentException(where + ".accessKeySecretEnv: environment variable " + skEnv
                            + " is not set");
                }
            }
            if ((ak == null) != (sk == null)) {
                throw new IllegalArgumentException(where + ": accessKeyId and accessKeySecret go together");
            }
            if (ak != null) {
                String secret = sk;
                wrap(where + ".accessKeyId", () -> ub.accessKey(ak, secret));
            }
            strings(u, "groups", where + ".groups").forEach(ub::group);
            strings(u, "policies", where + ".policies").forEach(ub::policy);
            wrap(where, () -> b.user(ub.build()));
        }
        for (String set : List.of("authenticated", "anonymous")) {
            JsonNode n = access.get(set);
            if (n == null) {
                continue;
            }
            String where = "access." + set;
            checkKeys(where, n, POLICY_SET_KEYS);
            for (String p : strings(n, "policies", where + ".policies")) {
                if (set.equals("anonymous")) {
                    b.anonymousPolicy(p);
                } else {
                    b.authenticatedPolicy(p);
                }
            }
        }
        return b.build();
    }

    // ---- accessors ----

    public IdentityMode identityMode() {
        return identityMode;
    }

    /** The trusted identity header (header mode), else {@code null}. */
    public String identityHeader() {
        return identityHeader;
    }

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    public Optional<User> userByName(String name) {
        return Optional.ofNullable(usersByName.get(name));
    }

    public Optional<User> userByAccessKeyId(String accessKeyId) {
        return Optional.ofNullable(usersByAccessKeyId.get(accessKeyId));
    }

    public Map<String, User> users() {
        return usersByName;
    }

    public Map<String, Group> groups() {
        return groups;
    }

    public Map<String, PolicyDocument> policies() {
        return policies;
    }

    /**
     * Every policy that applies to the caller: for the anonymous caller the {@code anonymous}
     * policies; otherwise the {@code authenticated} policies, the user's own and those of the
     * user's groups (a name the container or proxy vouched for but that is not a configured user
     * gets only the {@code authenticated} policies).
     */
    public List<PolicyDocument> policiesFor(Caller caller) {
        List<PolicyDocument> out = new ArrayList<>();
        if (caller.anonymous()) {
            anonymousPolicies.forEach(p -> out.add(policies.get(p)));
            return out;
        }
        authenticatedPolicies.forEach(p -> out.add(policies.get(p)));
        User u = usersByName.get(caller.name());
        if (u != null) {
            u.policies().forEach(p -> out.add(policies.get(p)));
            for (String g : u.groups()) {
                groups.get(g).policies().forEach(p -> out.add(policies.get(p)));
            }
        }
        return out;
    }

    // ---- ARNs (RAM: acs:<service>:<region>:<account-id>:<relative-id>) ----

    /** {@code acs:oss:*:<account>:<bucket>}: the resource of the bucket encryption actions. */
    public String bucketArn(String bucket) {
        return "acs:oss:*:" + accountId + ":" + Objects.requireNonNull(bucket, "bucket");
    }

    /** {@code acs:oss:*:<account>:<bucket>/<key>}: the resource of PutObject and GetObject. */
    public String objectArn(String bucket, String key) {
        return bucketArn(bucket) + "/" + Objects.requireNonNull(key, "key");
    }

    /**
     * {@code acs:kms:<region>:<account>:key/<keyId>}; an alias ({@code alias/...}) keeps its own
     * form, {@code acs:kms:<region>:<account>:alias/<name>}, as in KMS.
     */
    public String kmsKeyArn(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        String relative = keyId.startsWith("alias/") ? keyId : "key/" + keyId;
        return "acs:kms:" + region + ":" + accountId + ":" + relative;
    }

    @Override
    public String toString() {
        return "AccessControl[identity=" + identityMode.configName() + ", accountId=" + accountId + ", region=" + region
                + ", users=" + usersByName.keySet() + ", groups=" + groups.keySet() + ", policies=" + policies.keySet()
                + "]";
    }

    // ---- JSON helpers ----

    private static void checkKeys(String where, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(where + "." + k + ": unknown field (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": must be a string");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return CONFIG_MAPPER.createArrayNode();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("access." + field + ": must be an array");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": must be an array of strings");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new IllegalArgumentException(where + "[" + i + "]: must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private interface Step<T> {
        T run();
    }

    /** Runs a builder step, prefixing its message with the JSON path. */
    private static <T> T wrap(String where, Step<T> step) {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder; {@link #build()} checks that every name referenced exists. */
    public static final class Builder {
        private IdentityMode identityMode;
        private String identityHeader;
        private String accountId;
        private String region;
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private final Map<String, User> usersByName = new LinkedHashMap<>();
        private final Map<String, String> accessKeyOwners = new LinkedHashMap<>();
        private final Map<String, Group> groups = new LinkedHashMap<>();
        private final Map<String, PolicyDocument> policies = new LinkedHashMap<>();
        private final List<String> authenticatedPolicies = new ArrayList<>();
        private final List<String> anonymousPolicies = new ArrayList<>();

        private Builder() {}

        public Builder identityMode(IdentityMode mode) {
            this.identityMode = Objects.requireNonNull(mode, "identityMode");
            return this;
        }

        /** The header a trusted proxy sets to the authenticated user name (header mode). */
        public Builder identityHeader(String header) {
            if (header == null || !HEADER_NAME.matcher(header).matches()) {
                throw new IllegalArgumentException("not a valid header name: '" + header + "'");
            }
            if (header.equalsIgnoreCase("Authorization") || header.toLowerCase(java.util.Locale.ROOT).startsWith("x-oss-")) {
                throw new IllegalArgumentException("'" + header + "' is an OSS request header, not an identity header");
            }
            this.identityHeader = header;
            return this;
        }

        /** The account ID in ARNs, e.g. {@code 1416614965936597} (digits, letters, '-'; no wildcards). */
        public Builder accountId(String accountId) {
            if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
                throw new IllegalArgumentException("must be 1-64 letters, digits or '-': '" + accountId + "'");
            }
            this.accountId = accountId;
            return this;
        }

        /** The region in KMS ARNs and in the V4 signing scope, e.g. {@code cn-hangzhou}. */
        public Builder region(String region) {
            if (region == null || !REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("must be 1-64 lower-case letters, digits or '-': '" + region + "'");
            }
            this.region = region;
            return this;
        }

        /** Largest accepted difference between request time and server time (1 s to 15 min). */
        public Builder maxClockSkew(Duration skew) {
            if (skew == null || skew.compareTo(Duration.ofSeconds(1)) < 0 || skew.compareTo(DEFAULT_MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("must be between 1 and 900 seconds (OSS allows 15 minutes)");
            }
            this.maxClockSkew = skew;
            return this;
        }

        public Builder user(User user) {
            if (usersByName.containsKey(user.name())) {
                throw new IllegalArgumentException("duplicate user name '" + user.name() + "'");
            }
            if (user.accessKeyId() != null) {
                String owner = accessKeyOwners.putIfAbsent(user.accessKeyId(), user.name());
                if (owner != null) {
                    throw new IllegalArgumentException("accessKeyId of user '" + user.name()
                            + "' is already used by user '" + owner + "'");
                }
            }
            usersByName.put(user.name(), user);
            return this;
        }

        public Builder group(Group group) {
            if (groups.putIfAbsent(group.name(), group) != null) {
                throw new IllegalArgumentException("duplicate group name '" + group.name() + "'");
            }
            return this;
        }

        public Builder policy(PolicyDocument policy) {
            if (!User.NAME.matcher(policy.name()).matches()) {
                throw new IllegalArgumentException("invalid policy name: '" + policy.name() + "'");
            }
            if (policies.putIfAbsent(policy.name(), policy) != null) {
                throw new IllegalArgumentException("duplicate policy name '" + policy.name() + "'");
            }
            return this;
        }

        /** A policy every authenticated caller gets. */
        public Builder authenticatedPolicy(String policyName) {
            authenticatedPolicies.add(Objects.requireNonNull(policyName));
            return this;
        }

        /** A policy the anonymous caller gets (none by default: anonymous requests are denied). */
        public Builder anonymousPolicy(String policyName) {
            anonymousPolicies.add(Objects.requireNonNull(policyName));
            return this;
        }

        public AccessControl build() {
            if (identityMode == null) {
                throw new IllegalArgumentException("access.identity: is required");
            }
            if (accountId == null) {
                throw new IllegalArgumentException("access.accountId: is required");
            }
            if (region == null) {
                throw new IllegalArgumentException("access.region: is required");
            }
            if (identityMode == IdentityMode.HEADER && identityHeader == null) {
                throw new IllegalArgumentException("access.header: is required when access.identity is \"header\"");
            }
            if (identityMode != IdentityMode.HEADER && identityHeader != null) {
                throw new IllegalArgumentException("access.header: only applies when access.identity is \"header\"");
            }
            int i = 0;
            for (Group g : groups.values()) {
                requirePolicies("access.groups[" + i++ + "].policies", g.policies());
            }
            i = 0;
            for (User u : usersByName.values()) {
                String where = "access.users[" + i++ + "]";
                requirePolicies(where + ".policies", u.policies());
                for (String g : u.groups()) {
                    if (!groups.containsKey(g)) {
                        throw new IllegalArgumentException(where + ".groups: no group named '" + g + "'");
                    }
                }
                if (identityMode == IdentityMode.ACCESS_KEY && u.accessKeyId() == null) {
                    throw new IllegalArgumentException(where + ": needs accessKeyId and accessKeySecret when"
                            + " access.identity is \"accessKey\"");
                }
            }
            requirePolicies("access.authenticated.policies", authenticatedPolicies);
            requirePolicies("access.anonymous.policies", anonymousPolicies);
            return new AccessControl(this);
        }

        private void requirePolicies(String where, List<String> names) {
            for (String p : names) {
                if (!policies.containsKey(p)) {
                    throw new IllegalArgumentException(where + ": no policy named '" + p + "' in access.policies");
                }
            }
        }
    }
}
