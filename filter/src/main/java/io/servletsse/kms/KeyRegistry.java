package io.servletsse.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.error.OssErrors;
import io.servletsse.util.AtomicFiles;
import io.servletsse.util.FileStamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CMK metadata (state, description, material versions, aliases): one JSON file {@code keys.json}
 * (not secret, but 0600 all the same) that several instances sharing the directory keep coherent:
 * <ul>
 *   <li>every read compares the file's identity (inode, mtime, size) with the last one parsed and
 *       re-reads it if another instance replaced it, so a key disabled on one node is refused by every
 *       node on its next call;</li>
 *   <li>every change runs read-modify-write under an exclusive lock on {@code keys.lock} (and a JVM
 *       lock), and replaces the file atomically ({@link AtomicFiles}), so a crash leaves the old or the
 *       new metadata and concurrent admins never lose an update.</li>
 * </ul>
 * Format: {@code {"format":1,"keys":[{keyId, description, state, origin, created, deleteDate?,
 * rotationInterval?, versions:[{version, created}]}], "aliases":{"alias/x":"<keyId>"}}}; times ISO-8601.
 */
final class KeyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far above any real key count (each key is about 300 bytes), and a bound on what we parse. */
    static final long MAX_FILE = 16L << 20;

    /** One CMK's metadata. Immutable. */
    record KeyRecord(String keyId, String description, KeyState state, KeyOrigin origin, Instant created,
            Instant deleteDate, Duration rotationInterval, List<MaterialVersion> versions) {
        KeyRecord {
            versions = List.copyOf(versions);
        }

        MaterialVersion primary() {
            return versions.isEmpty() ? null : versions.get(versions.size() - 1);
        }

        MaterialVersion version(int n) {
            for (MaterialVersion v : versions) {
                if (v.version() == n) {
                    return v;
                }
            }
            return null;
        }

        KeyRecord withState(KeyState s, Instant delete) {
            return new KeyRecord(keyId, description, s, origin, created, delete, rotationInterval, versions);
        }

        KeyRecord withVersion(MaterialVersion v) {
            List<MaterialVersion> vs = new ArrayList<>(versions);
            vs.add(v);
            return new KeyRecord(keyId, description, state, origin, created, deleteDate, rotationInterval, vs);
        }

        KeyRecord withRotationInterval(Duration d) {
            return new KeyRecord(keyId, description, state, origin, created, deleteDate, d, versions);
        }
    }

    record MaterialVersion(int version, Instant created) {}

    /** All keys and aliases at one moment. Immutable. */
    record State(Map<String, KeyRecord> keys, Map<String, String> aliases) {
        State {
            keys = Collections.unmodifiableMap(new TreeMap<>(keys));
            aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
        }

        List<String> aliasesOf(String keyId) {
            List<String> out = new ArrayList<>();
            aliases.forEach((a, k) -> {
                if (k.equals(keyId)) {
                    out.add(a);
                }
            });
            return out;
        }
    }

    /** The mutable copy an update works on. */
    static final class Draft {
        final Map<String, KeyRecord> keys;
        final Map<String, String> aliases;

        Draft(State s) {
            keys = new TreeMap<>(s.keys());
            aliases = new TreeMap<>(s.aliases());
        }
    }

    private final Path file;
    private final Path lockFile;
    /**
     * One lock per metadata file in this JVM: file locks are held per JVM, so two registries on the same
     * directory in one process (two managers, or tests) must not both try {@code FileChannel.lock()}.
     */
    private static final Map<Path, Object> JVM_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object jvmLock;
    private volatile Loaded loaded = new Loaded(null, new State(Map.of(), Map.of()));

    private record Loaded(Object identity, State state) {}

    KeyRegistry(Path dir) {
        this.file = dir.resolve("keys.json");
        this.lockFile = dir.resolve("keys.lock");
        this.jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object());
    }

    /** The current metadata, re-read if another instance changed the file. */
    State current() {
        Object id = identity();
        Loaded l = loaded;
        if (Objects.equals(id, l.identity())) {
            return l.state();
        }
        synchronized (jvmLock) {
            id = identity();
            if (!Objects.equals(id, loaded.identity())) {
                loaded = new Loaded(id, read());
            }
            return loaded.state();
        }
    }

    /** Applies {@code change} to the freshest metadata under the lock, writes it, returns its result. */
    <T> T update(Function<Draft, T> change) {
        synchronized (jvmLock) {
            try {
                AtomicFiles.ensurePrivateDirectory(file.toAbsolutePath().getParent());
                try (FileChannel ch = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                        FileLock ignored = ch.lock()) {
                    Object id = identity();
                    State fresh = Objects.equals(id, loaded.identity()) ? loaded.state() : read();
                    Draft d = new Draft(fresh);
                    T result = change.apply(d);
                    State next = new State(d.keys, d.aliases);
                    if (!next.equals(fresh)) {
                        AtomicFiles.writeSecret(file, serialize(next));
                    }
                    loaded = new Loaded(identity(), next);
                    return result;
                }
            } catch (IOException e) {
                LOG.error("Cannot update key metadata {}", file, e);
                throw OssErrors.keyServiceUnavailable("The key metadata store is unavailable.", null);
            }
        }
    }

    private Object identity() {
        try {
            // What tells a replaced file from the one parsed (checked per KMS call).
            return FileStamp.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.error("Cannot stat key metadata {}", file, e);
            throw OssErrors.keyServiceUnavailable("The key metadata store is unavailable.", null);
        }
    }

    private State read() {
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = in.readNBytes((int) MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            return new State(Map.of(), Map.of());
        } catch (IOException e) {
            LOG.error("Cannot read key metadata {}", file, e);
            throw OssErrors.keyServiceUnavailable("The key metadata store is unavailable.", null);
        }
        if (b.length > MAX_FILE) {
            LOG.error("Key metadata {} is larger than {} bytes", file, MAX_FILE);
            throw OssErrors.internal("The key metadata store is corrupt.", null);
        }
        try {
            return parse(JSON.readTree(b));
        } catch (IOException | RuntimeException e) {
            LOG.error("Key metadata {} is malformed", file, e);
            throw OssErrors.internal("The key metadata store is corrupt.", null);
        }
    }

    private static State parse(JsonNode root) {
        if (root.path("format").asInt() != 1) {
            throw new IllegalArgumentException("unknown key metadata format");
        }
        Map<String, KeyRecord> keys = new TreeMap<>();
        for (JsonNode k : root.path("keys")) {
            List<MaterialVersion> versions = new ArrayList<>();
            for (JsonNode v : k.path("versions")) {
                versions.add(new MaterialVersion(v.get("version").asInt(), Instant.parse(v.get("created").asText())));
            }
            String id = KeyIds.requireKeyId(k.get("keyId").asText());
            keys.put(id, new KeyRecord(id, k.get("description").asText(), KeyState.valueOf(k.get("state").asText()),
                    KeyOrigin.valueOf(k.get("origin").asText()), Instant.parse(k.get("created").asText()),
                    k.hasNonNull("deleteDate") ? Instant.parse(k.get("deleteDate").asText()) : null,
                    k.hasNonNull("rotationInterval") ? Duration.parse(k.get("rotationInterval").asText()) : null,
                    versions));
        }
        Map<String, String> aliases = new TreeMap<>();
        root.path("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
        return new State(keys, aliases);
    }

    private static byte[] serialize(State s) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        ArrayNode keys = root.putArray("keys");
        for (KeyRecord r : s.keys().values()) {
            ObjectNode k = keys.addObject();
            k.put("keyId", r.keyId());
            k.put("description", r.description());
            k.put("state", r.state().name());
            k.put("origin", r.origin().name());
            k.put("created", r.created().toString());
            if (r.deleteDate() != null) {
                k.put("deleteDate", r.deleteDate().toString());
            }
            if (r.rotationInterval() != null) {
                k.put("rotationInterval", r.rotationInterval().toString());
            }
            ArrayNode vs = k.putArray("versions");
            for (MaterialVersion v : r.versions()) {
                vs.addObject().put("version", v.version()).put("created", v.created().toString());
            }
        }
        ObjectNode aliases = root.putObject("aliases");
        s.aliases().forEach(aliases::put);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }
}
