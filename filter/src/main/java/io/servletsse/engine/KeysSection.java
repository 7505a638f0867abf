package io.servletsse.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.servletsse.policy.ConfigException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * The {@code keys} section of the configuration (docs/CONFIGURATION.md): where the root key that
 * encrypts all key material at rest comes from.
 *
 * @param rootKeyFile                 a file holding the root key (base64 of 32 bytes), or null
 * @param rootKeyEnvironmentVariable  the environment variable to read it from, or null for the default
 */
record KeysSection(Path rootKeyFile, String rootKeyEnvironmentVariable) {
    private static final Set<String> FIELDS = Set.of("rootKeyFile", "rootKeyEnvironmentVariable");

    static KeysSection parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new KeysSection(null, null);
        }
        if (!node.isObject()) {
            throw ConfigException.field("keys", "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ConfigException.field("keys." + f, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        return new KeysSection(path(node, "rootKeyFile"), text(node, "rootKeyEnvironmentVariable"));
    }

    private static Path path(JsonNode node, String name) {
        String t = text(node, name);
        return t == null ? null : Path.of(t);
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw ConfigException.field("keys." + name, "must be a non-empty string");
        }
        return v.textValue();
    }
}
