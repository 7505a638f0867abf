package io.servletsse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validated configuration of one filter instance (docs/CONFIGURATION.md). Immutable; built by
 * {@link ConfigLoader}, never half-valid.
 *
 * @param dataDirectory      where the filter keeps its own state (keys, rule store)
 * @param pathPrefix         buckets live under this prefix of the context path
 * @param excludedPaths      context-relative path patterns the filter leaves alone ({@code *} suffix = prefix)
 * @param excludedMethods    HTTP methods the filter leaves alone
 * @param defaultRule        the rule for buckets with no rule of their own
 * @param bucketRules        per-bucket default encryption from the configuration file
 * @param segmentSize        plaintext segment size for new objects
 * @param masterKeyRotation  rotation period of the service master keys (SSE-OSS)
 * @param keys               the {@code keys} section (key management), validated by its owner
 * @param access             the {@code access} section (identities, policies), validated by its owner
 * @param admin              the {@code admin} section: the admin API and web console ({@link Admin#OFF} if absent)
 * @param digestThreads      {@code uploads.digestThreads}: threads that digest upload plaintext off the request
 *                           threads, 0 for none (on the request thread), {@link #AUTO_DIGEST_THREADS} for one per
 *                           processor (at most 8)
 * @param audit              the {@code audit} section: where audit lines go ({@link Audit#LOGGER} if absent)
 */
public record SseConfig(
        Path dataDirectory,
        String pathPrefix,
        List<String> excludedPaths,
        Set<String> excludedMethods,
        EncryptionRule defaultRule,
        Map<String, EncryptionRule> bucketRules,
        int segmentSize,
        Duration masterKeyRotation,
        JsonNode keys,
        JsonNode access,
        Admin admin,
        int digestThreads,
        Audit audit) {
    /** {@code uploads.digestThreads} absent: one digest thread per processor, at most 8. */
    public static final int AUTO_DIGEST_THREADS = -1;
    public static final int MAX_DIGEST_THREADS = 64;

    public SseConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        excludedPaths = List.copyOf(excludedPaths);
        excludedMethods = Set.copyOf(excludedMethods);
        Objects.requireNonNull(defaultRule, "defaultRule");
        bucketRules = Map.copyOf(bucketRules);
        Objects.requireNonNull(masterKeyRotation, "masterKeyRotation");
        keys = keys == null ? MissingNode.getInstance() : keys.deepCopy();
        access = access == null ? MissingNode.getInstance() : access.deepCopy();
        admin = admin == null ? Admin.OFF : admin;
        audit = audit == null ? Audit.LOGGER : audit;
        if (digestThreads < AUTO_DIGEST_THREADS || digestThreads > MAX_DIGEST_THREADS) {
            throw new IllegalArgumentException("digestThreads: " + digestThreads);
        }
    }

    /** Without an admin section (the form before the admin API existed). */
    public SseConfig(Path dataDirectory, String pathPrefix, List<String> excludedPaths, Set<String> excludedMethods,
            EncryptionRule defaultRule, Map<String, EncryptionRule> bucketRules, int segmentSize,
            Duration masterKeyRotation, JsonNode keys, JsonNode access) {
        this(dataDirectory, pathPrefix, excludedPaths, excludedMethods, defaultRule, bucketRules, segmentSize,
                masterKeyRotation, keys, access, Admin.OFF, AUTO_DIGEST_THREADS, Audit.LOGGER);
    }

    /**
     * The {@code audit} section (docs/PERMISSIONS.md, "Audit log").
     *
     * @param file         the audit file, relative paths under the data directory; {@code null}: the SLF4J
     *                     logger {@code servletsse.audit}
     * @param maxFileBytes size past which the file is rotated (renamed aside, never deleted)
     */
    public record Audit(Path file, long maxFileBytes) {
        public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;
        public static final long MIN_MAX_FILE_BYTES = 1L << 20;
        public static final long MAX_MAX_FILE_BYTES = 1L << 40;
        public static final Audit LOGGER = new Audit(null, DEFAULT_MAX_FILE_BYTES);

        public Audit {
            if (maxFileBytes < MIN_MAX_FILE_BYTES || maxFileBytes > MAX_MAX_FILE_BYTES) {
                throw new IllegalArgumentException("maxFileBytes: " + maxFileBytes);
            }
        }

        /** The audit file of a filter whose data directory is {@code dataDirectory}, or {@code null}. */
        public Path fileUnder(Path dataDirectory) {
            return file == null ? null : dataDirectory.resolve(file);
        }
    }

    /**
     * The {@code admin} section (docs/CONFIGURATION.md, docs/CONSOLE.md).
     *
     * @param path            where the admin API ({@code <path>api/...}) and console ({@code <path>console/}) live
     * @param api             whether the JSON API is answered
     * @param console         whether the HTML console is served (needs the API)
     * @param sessionLifetime how long a console login lasts (absolute, not extended by use)
     * @param ossStyleApp     whether the app answers OSS ListBuckets ({@code GET <prefix>}) and PutBucket
     *                        ({@code PUT <prefix><bucket>}): the console then lists and creates the app's buckets
     * @param allowedOrigins  origins accepted on state-changing requests besides the request's own
     */
    public record Admin(String path, boolean api, boolean console, Duration sessionLifetime, boolean ossStyleApp,
            List<String> allowedOrigins) {
        public static final Admin OFF = new Admin("/_servlet-sse/", false, false, Duration.ofMinutes(30), false, List.of());

        public Admin {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sessionLifetime, "sessionLifetime");
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** Whether requests under {@link #path()} are the filter's. */
        public boolean enabled() {
            return api || console;
        }
    }

    /** Without the {@code keys} and {@code access} sections: they hold AccessKey secrets and PKCS#11 PINs. */
    @Override
    public String toString() {
        return "SseConfig[dataDirectory=" + dataDirectory + ", pathPrefix=" + pathPrefix + ", excludedPaths=" + excludedPaths
                + ", excludedMethods=" + excludedMethods + ", defaultRule=" + defaultRule + ", bucketRules=" + bucketRules
                + ", segmentSize=" + segmentSize + ", masterKeyRotation=" + masterKeyRotation
                + ", keys=" + (keys.isMissingNode() ? "absent" : "<redacted>")
                + ", access=" + (access.isMissingNode() || access.isNull() ? "absent" : "<redacted>")
                + ", admin=" + admin + ", digestThreads=" + digestThreads + ", audit=" + audit + "]";
    }

    /** The same configuration with another data directory (init-param / option override). */
    public SseConfig withDataDirectory(Path dir) {
        return new SseConfig(dir, pathPrefix, excludedPaths, excludedMethods, defaultRule, bucketRules,
                segmentSize, masterKeyRotation, keys, access, admin, digestThreads, audit);
    }

    /** Whether the filter must leave this request alone entirely. */
    public boolean isExcluded(String method, String path) {
        if (excludedMethods.contains(method)) {
            return true;
        }
        for (String p : excludedPaths) {
            if (p.endsWith("*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
