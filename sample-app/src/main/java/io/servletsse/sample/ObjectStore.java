package io.servletsse.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The file system behind the service. Layout under the data directory:
 * <pre>
 *   objects/&lt;bucket&gt;/&lt;key&gt;   the stored bytes, exactly as received (keys with '/' become directories)
 *   meta/&lt;bucket&gt;/&lt;key&gt;      the sidecar ({@link ObjectMetadata})
 *   tmp/                   uploads in progress (same file system, so the final rename is atomic)
 * </pre>
 * {@code sse/} belongs to the filter and is never touched here.
 *
 * <p>A write streams to a temp file, then renames the sidecar and the data into place under the
 * key's write lock; a read takes the read lock only while it opens the file and reads the sidecar,
 * so it sees one consistent version and then streams without holding anything.
 */
final class ObjectStore {
    private static final int LOCK_STRIPES = 64;

    private final Path objects;
    private final Path meta;
    private final Path tmp;
    private final ReadWriteLock[] locks = new ReadWriteLock[LOCK_STRIPES];

    ObjectStore(Path dataDir) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        this.objects = Files.createDirectories(root.resolve("objects"));
        this.meta = Files.createDirectories(root.resolve("meta"));
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantReadWriteLock();
        }
        try (Stream<Path> leftovers = Files.list(tmp)) { // uploads cut short by a previous crash
            for (Path p : (Iterable<Path>) leftovers::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- buckets

    record Bucket(String name, Instant created) {}

    void createBucket(String bucket) throws IOException {
        Files.createDirectories(objects.resolve(bucket));
    }

    boolean bucketExists(String bucket) {
        return Files.isDirectory(objects.resolve(bucket));
    }

    Bucket bucket(String bucket) throws IOException {
        Path dir = objects.resolve(bucket);
        if (!Files.isDirectory(dir)) {
            throw ServiceError.noSuchBucket();
        }
        return new Bucket(bucket, Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant());
    }

    List<Bucket> buckets() throws IOException {
        List<Bucket> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(objects, Files::isDirectory)) {
            for (Path d : dirs) {
                out.add(bucket(d.getFileName().toString()));
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    void deleteBucket(String bucket) throws IOException {
        Path dir = objects.resolve(bucket);
        if (!Files.isDirectory(dir)) {
            throw ServiceError.noSuchBucket();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.anyMatch(Files::isRegularFile)) {
                throw ServiceError.bucketNotEmpty();
            }
        }
        StoreFiles.deleteTree(dir); // only empty directories are left (from deleted nested keys)
        StoreFiles.deleteTree(meta.resolve(bucket));
    }

    // ---- objects

    /**
     * Stores {@code body} under the key. If {@code contentMd5} (base64, the Content-MD5 header) is
     * given and does not match the bytes received, nothing is stored and InvalidDigest is thrown.
     */
    StoredObject put(ObjectPath path, InputStream body, String contentMd5, Map<String, String> headers)
            throws IOException {
        requireBucket(path.bucket());
        byte[] expectedMd5 = contentMd5 == null ? null : decodeMd5(contentMd5);
        Path target = file(objects, path);
        Path sidecar = file(meta, path);
        Path data = Files.createTempFile(tmp, "upload-", ".part");
        Path metaFile = Files.createTempFile(tmp, "meta-", ".part");
        try {
            DigestingCopy copy;
            try (OutputStream out = Files.newOutputStream(data)) {
                copy = new DigestingCopy().copy(body, out);
            }
            byte[] md5 = copy.md5();
            if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, md5)) {
                throw ServiceError.invalidDigest();
            }
            new ObjectMetadata(copy.length(), DigestingCopy.hex(md5), copy.crc64(), headers).write(metaFile);
            return withLock(path, true, () -> {
                StoreFiles.makeRoomFor(target); // conflicts are found on the data tree, before anything moves
                StoreFiles.moveIntoPlace(metaFile, sidecar);
                StoreFiles.moveIntoPlace(data, target);
                return stat(path, target);
            });
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(metaFile);
        }
    }

    /** The object's description, or NoSuchKey / NoSuchBucket. */
    StoredObject get(ObjectPath path) throws IOException {
        requireBucket(path.bucket());
        Path target = file(objects, path);
        return withLock(path, false, () -> stat(path, target));
    }

    /** An object and its bytes, opened together so that they belong to the same version. */
    record Opened(StoredObject object, FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    Opened open(ObjectPath path) throws IOException {
        requireBucket(path.bucket());
        Path target = file(objects, path);
        return withLock(path, false, () -> {
            StoredObject o = stat(path, target);
            try {
                return new Opened(o, FileChannel.open(target, StandardOpenOption.READ));
            } catch (NoSuchFileException e) {
                throw ServiceError.noSuchKey();
            }
        });
    }

    /** Deletes the object; deleting a missing key succeeds, as in OSS. */
    void delete(ObjectPath path) throws IOException {
        requireBucket(path.bucket());
        Path target = file(objects, path);
        Path sidecar = file(meta, path);
        withLock(path, true, () -> {
            if (Files.isRegularFile(target)) {
                Files.delete(target);
            }
            if (Files.isRegularFile(sidecar)) {
                Files.delete(sidecar);
            }
            return null;
        });
        StoreFiles.pruneEmptyParents(target, objects.resolve(path.bucket()));
        StoreFiles.pruneEmptyParents(sidecar, meta.resolve(path.bucket()));
    }

    /** The keys of the bucket that start with {@code prefix}, sorted (callers stat only the page they need). */
    List<String> keys(String bucket, String prefix) throws IOException {
        requireBucket(bucket);
        Path dir = objects.resolve(bucket);
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .map(f -> StoreFiles.keyOf(dir, f))
                    .filter(k -> k.startsWith(prefix))
                    .forEach(keys::add);
        }
        keys.sort(null);
        return keys;
    }

    // ---- internals

    private void requireBucket(String bucket) {
        if (!bucketExists(bucket)) {
            throw ServiceError.noSuchBucket();
        }
    }

    private StoredObject stat(ObjectPath path, Path target) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw ServiceError.noSuchKey();
        }
        if (!a.isRegularFile()) {
            throw ServiceError.noSuchKey(); // a "directory" made by longer keys is not an object
        }
        ObjectMetadata m = ObjectMetadata.read(file(meta, path));
        if (m == null || m.size() != a.size()) {
            m = recompute(target); // sidecar lost or stale: the bytes are the truth
        }
        return new StoredObject(path.key(), target, a.size(), a.lastModifiedTime().toInstant(), m.etag(), m.crc64(),
                m.headers());
    }

    private static ObjectMetadata recompute(Path target) throws IOException {
        try (InputStream in = Files.newInputStream(target)) {
            DigestingCopy d = new DigestingCopy().digest(in);
            return new ObjectMetadata(d.length(), DigestingCopy.hex(d.md5()), d.crc64(), Map.of());
        }
    }

    /** Resolves a validated key below {@code root}/bucket and re-checks containment anyway. */
    private static Path file(Path root, ObjectPath path) {
        Path bucketDir = root.resolve(path.bucket());
        Path p = bucketDir;
        for (String segment : path.keySegments()) {
            p = p.resolve(segment);
        }
        if (!p.normalize().startsWith(bucketDir) || p.equals(bucketDir)) {
            throw ServiceError.invalidObjectName("resolves outside its bucket");
        }
        return p;
    }

    private static byte[] decodeMd5(String contentMd5) {
        try {
            byte[] md5 = Base64.getDecoder().decode(contentMd5.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // falls through: not base64
        }
        throw ServiceError.invalidDigest();
    }

    private <T> T withLock(ObjectPath path, boolean write, IoSupplier<T> action) throws IOException {
        ReadWriteLock rw = locks[Math.floorMod((path.bucket() + '/' + path.key()).hashCode(), LOCK_STRIPES)];
        var lock = write ? rw.writeLock() : rw.readLock();
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
