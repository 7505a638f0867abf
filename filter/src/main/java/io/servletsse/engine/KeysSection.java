package io.servletsse.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.servletsse.kms.DataKeyCacheOptions;
import io.servletsse.kms.KeyServicesOptions;
import io.servletsse.kms.Pkcs11Options;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.SseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code keys} section of the configuration (docs/CONFIGURATION.md) mapped onto
 * {@link KeyServicesOptions}: the root key that encrypts all key material at rest, and the KMS
 * (off unless the section {@code keys.kms} is present: OSS, too, needs KMS activated first).
 */
final class KeysSection {
    private KeysSection() {}

    static KeyServicesOptions options(SseConfig config, java.time.Clock clock, Map<String, String> env) {
        JsonNode node = config.keys();
        KeyServicesOptions.Builder b = KeyServicesOptions.builder(config.dataDirectory())
                .serviceKeyRotationPeriod(config.masterKeyRotation())
                .environment(env)
                .clock(clock)
                .kmsEnabled(false);
        if (node == null || node.isMissingNode() || node.isNull()) {
            return b.build();
        }
        object("keys", node, Set.of("rootKeyFile", "rootKeyEnvironmentVariable", "kms", "downloadCache"));
        String file = text(node, "keys", "rootKeyFile");
        if (file != null) {
            b.rootKeyFile(Path.of(file));
        }
        String var = text(node, "keys", "rootKeyEnvironmentVariable");
        if (var != null) {
            b.rootKeyEnvironmentVariable(var);
        }
        JsonNode kms = node.get("kms");
        if (kms != null && !kms.isNull()) {
            object("keys.kms", kms, Set.of("enabled", "backend", "pkcs11", "cache"));
            b.kmsEnabled(!kms.has("enabled") || bool(kms, "keys.kms", "enabled"));
            String backend = text(kms, "keys.kms", "backend");
            if (backend == null || backend.equals("local")) {
                b.localBackend();
            } else if (backend.equals("pkcs11")) {
                b.pkcs11Backend(pkcs11(kms.get("pkcs11"), env));
            } else {
                throw ConfigException.field("keys.kms.backend", "must be local or pkcs11, got " + backend);
            }
            if (kms.has("cache")) {
                b.cache(cache(kms.get("cache")));
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw ConfigException.field("keys", e.getMessage());
        }
    }

    private static Pkcs11Options pkcs11(JsonNode n, Map<String, String> env) {
        if (n == null || n.isNull()) {
            throw ConfigException.field("keys.kms.pkcs11", "required with backend pkcs11");
        }
        object("keys.kms.pkcs11", n, Set.of("library", "slot", "pin", "pinEnvironmentVariable"));
        String library = text(n, "keys.kms.pkcs11", "library");
        if (library == null) {
            throw ConfigException.field("keys.kms.pkcs11.library", "required (e.g. /usr/lib/softhsm/libsofthsm2.so)");
        }
        Long slot = null;
        if (n.has("slot")) {
            if (!n.get("slot").canConvertToLong() || !n.get("slot").isIntegralNumber()) {
                throw ConfigException.field("keys.kms.pkcs11.slot", "must be an integer");
            }
            slot = n.get("slot").longValue();
        }
        String pin = text(n, "keys.kms.pkcs11", "pin");
        String pinVar = text(n, "keys.kms.pkcs11", "pinEnvironmentVariable");
        if ((pin == null) == (pinVar == null)) {
            throw ConfigException.field("keys.kms.pkcs11", "give exactly one of pin and pinEnvironmentVariable");
        }
        if (pinVar != null) {
            pin = env.get(pinVar);
            if (pin == null || pin.isEmpty()) {
                throw ConfigException.field("keys.kms.pkcs11.pinEnvironmentVariable", "environment variable " + pinVar + " is not set");
            }
        }
        try {
            return new Pkcs11Options(Path.of(library), slot, pin.toCharArray());
        } catch (IllegalArgumentException e) {
            throw ConfigException.field("keys.kms.pkcs11", e.getMessage());
        }
    }

    /** Defaults of {@code keys.downloadCache}. */
    static final int DOWNLOAD_CACHE_ENTRIES = 10_000;
    static final Duration DOWNLOAD_CACHE_TTL = Duration.ofMinutes(5);

    /** {@code keys.downloadCache}: opened SSE-OSS objects kept for repeated downloads (0 entries: off). */
    static DownloadCache downloadCache(SseConfig config, java.time.Clock clock) {
        JsonNode node = config.keys();
        JsonNode n = node == null || node.isMissingNode() || node.isNull() ? null : node.get("downloadCache");
        if (n == null || n.isNull()) {
            return new DownloadCache(clock, DOWNLOAD_CACHE_TTL, DOWNLOAD_CACHE_ENTRIES);
        }
        object("keys.downloadCache", n, Set.of("maxEntries", "ttl"));
        long entries = n.has("maxEntries") ? number(n, "keys.downloadCache", "maxEntries") : DOWNLOAD_CACHE_ENTRIES;
        Duration ttl = n.has("ttl") ? duration(n, "keys.downloadCache.ttl") : DOWNLOAD_CACHE_TTL;
        if (entries < 0 || entries > 1_000_000) {
            throw ConfigException.field("keys.downloadCache.maxEntries", "must be between 0 and 1000000");
        }
        if (ttl.isNegative() || ttl.compareTo(Duration.ofHours(24)) > 0) {
            throw ConfigException.field("keys.downloadCache.ttl", "must be between PT0S and PT24H");
        }
        return new DownloadCache(clock, ttl, (int) entries);
    }

    private static DataKeyCacheOptions cache(JsonNode n) {
        object("keys.kms.cache", n, Set.of("enabled", "maxAge", "maxUses", "maxBytes", "decryptTtl", "decryptMaxEntries"));
        DataKeyCacheOptions d = DataKeyCacheOptions.DEFAULTS;
        try {
            return new DataKeyCacheOptions(
                    n.has("enabled") ? bool(n, "keys.kms.cache", "enabled") : d.enabled(),
                    n.has("maxAge") ? duration(n, "keys.kms.cache.maxAge") : d.maxAge(),
                    n.has("maxUses") ? number(n, "keys.kms.cache", "maxUses") : d.maxUses(),
                    n.has("maxBytes") ? number(n, "keys.kms.cache", "maxBytes") : d.maxBytes(),
                    n.has("decryptTtl") ? duration(n, "keys.kms.cache.decryptTtl") : d.decryptTtl(),
                    n.has("decryptMaxEntries") ? (int) number(n, "keys.kms.cache", "decryptMaxEntries") : d.decryptMaxEntries());
        } catch (IllegalArgumentException e) {
            throw ConfigException.field("keys.kms.cache", e.getMessage());
        }
    }

    private static void object(String field, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw ConfigException.field(field, "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ConfigException.field(field + "." + f, "unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw ConfigException.field(field + "." + name, "must be a non-empty string");
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode node, String field, String name) {
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw ConfigException.field(field + "." + name, "must be true or false");
        }
        return v.booleanValue();
    }

    private static long number(JsonNode node, String field, String name) {
        JsonNode v = node.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ConfigException.field(field + "." + name, "must be an integer");
        }
        return v.longValue();
    }

    private static Duration duration(JsonNode node, String field) {
        String name = field.substring(field.lastIndexOf('.') + 1);
        JsonNode v = node.get(name);
        try {
            return Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw ConfigException.field(field, "must be an ISO-8601 duration such as PT5M, got " + v.asText());
        }
    }
}
