package io.servletsse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.error.OssErrors;
import io.servletsse.util.AtomicFiles;
import io.servletsse.util.FileStamp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded rule store: one JSON file in the data directory, written atomically. Re-read when
 * its modification time changes, so filter instances sharing a directory see each other's changes.
 * A corrupt file is an error (at start and on reload), never a silent "no rule".
 */
public final class FileRuleStore implements RuleStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileRuleStore.class);
    private static final long MAX_BYTES = 16L << 20;

    private final Path file;
    /** The same file for {@code java.io.File.exists()}, null off the default file system. */
    private final File plainFile;
    private final Path dir;
    private Map<String, StoredRule> rules = Map.of();
    private FileTime loadedTime;
    /** The directory as it was when the file was last found absent; null when not absent or unknown. */
    private FileStamp absentIn;

    public FileRuleStore(Path file) {
        this.file = file;
        this.plainFile = file.getFileSystem() == FileSystems.getDefault() ? file.toFile() : null;
        this.dir = file.toAbsolutePath().getParent();
        reloadIfChanged();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<StoredRule> get(String bucket) {
        reloadForRequest();
        return Optional.ofNullable(rules.get(bucket));
    }

    @Override
    public synchronized void put(String bucket, EncryptionRule rule) {
        update(bucket, StoredRule.of(rule));
    }

    @Override
    public synchronized void delete(String bucket) {
        update(bucket, StoredRule.deleted());
    }

    @Override
    public synchronized void restore(String bucket, Optional<StoredRule> state) {
        update(bucket, state.orElse(null));
    }

    /** Writes the store with {@code bucket}'s entry replaced ({@code null}: removed). */
    private void update(String bucket, StoredRule entry) {
        reloadForRequest();
        Map<String, StoredRule> next = new HashMap<>(rules);
        if (entry == null) {
            next.remove(bucket);
        } else {
            next.put(bucket, entry);
        }
        ObjectNode root = ConfigLoader.json().createObjectNode();
        root.put("version", 1);
        ObjectNode buckets = root.putObject("buckets");
        next.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode n = buckets.putObject(e.getKey());
            Optional<EncryptionRule> r = e.getValue().rule();
            if (r.isEmpty()) {
                n.put("deleted", true);
            } else {
                EncryptionRule rule = r.get();
                n.put("SSEAlgorithm", rule.isNone() ? "None" : rule.algorithm().name());
                if (rule.kmsMasterKeyId() != null) {
                    n.put("KMSMasterKeyID", rule.kmsMasterKeyId());
                }
                if (rule.kmsDataEncryption() != null) {
                    n.put("KMSDataEncryption", rule.kmsDataEncryption());
                }
            }
        });
        try {
            AtomicFiles.ensurePrivateDirectory(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, ConfigLoader.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            loadedTime = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw OssErrors.internal("cannot write the bucket rule store", e);
        }
        rules = Map.copyOf(next);
    }

    /**
     * As {@link #reloadIfChanged()}, for a request: a store that became unreadable or corrupt after
     * start is that request's 500 InternalError (an OSS error the client can read; the file and the
     * cause go to the log, not to the client), never an exception the container answers for us.
     */
    private void reloadForRequest() {
        try {
            reloadIfChanged();
        } catch (ConfigException | UncheckedIOException e) {
            LOG.error("servlet-sse: {}", e.getMessage(), e);
            throw OssErrors.internal("The bucket encryption rule store is unavailable.", e);
        }
    }

    private void reloadIfChanged() {
        if (stillAbsent()) {
            return;
        }
        absentIn = null;
        FileTime t;
        try {
            t = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            rules = Map.of();
            loadedTime = null;
            // Taken after the stat: a file created in between is seen by the next exists().
            absentIn = directoryState();
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bucket rule store " + file, e);
        }
        if (t.equals(loadedTime)) {
            return;
        }
        rules = parse(file);
        loadedTime = t;
    }

    /**
     * The common case of a store that was never written (no rule put through the API): answers
     * "still absent" without the failing {@code stat} and the {@code NoSuchFileException} with its
     * stack trace, ~28 µs of a 4 KiB upload (docs/BENCHMARKS.md). {@code File.exists()} sees a file
     * that appeared, but answers false for an I/O error or a directory we may no longer search too,
     * so it is trusted only while the directory is the same one, unchanged since the checked path
     * last found the file absent: for a file to have appeared behind a failing {@code exists()},
     * an entry would have had to be added, which changes the directory's modification time.
     * Anything else (the directory gone, replaced, changed, unreadable) takes the checked path,
     * which fails closed.
     */
    private boolean stillAbsent() {
        if (absentIn == null || plainFile == null) {
            return false;
        }
        return absentIn.equals(directoryState()) && !plainFile.exists();
    }

    /** The file's directory as it is now, or null if it is not one or cannot be read (the checked path decides). */
    private FileStamp directoryState() {
        if (dir == null) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
            return a.isDirectory() ? FileStamp.of(a) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, StoredRule> parse(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException("bucket rule store " + file + " is larger than " + MAX_BYTES + " bytes");
            }
            root = ConfigLoader.json().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("bucket rule store " + file + " is corrupt (" + e.getMessage()
                    + "); refusing to guess the buckets' encryption. Restore it from backup or remove it deliberately.", e);
        }
        if (root == null || !root.isObject() || root.path("version").asInt(0) != 1 || !root.path("buckets").isObject()) {
            throw new ConfigException("bucket rule store " + file + " is corrupt (expected {\"version\":1,\"buckets\":{...}}); "
                    + "refusing to guess the buckets' encryption.");
        }
        Map<String, StoredRule> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("buckets").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "rule store " + file + ": buckets." + e.getKey();
            JsonNode n = e.getValue();
            if (n.path("deleted").asBoolean(false)) {
                out.put(e.getKey(), StoredRule.deleted());
            } else {
                try {
                    out.put(e.getKey(), StoredRule.of(ConfigLoader.rule(field, n)));
                } catch (ConfigException ex) {
                    throw new ConfigException("bucket rule store is corrupt: " + ex.getMessage(), ex);
                }
            }
        }
        return Map.copyOf(out);
    }
}
