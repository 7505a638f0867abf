package io.servletsse.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file writes for key and rule files: write a temp file beside the target, fsync it,
 * rename it over the target, fsync the directory. A reader sees the old file or the new one, never
 * half of either. Secret files are created 0600 from the start (never widened, then narrowed).
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with {@code content}, mode 0600. */
    public static void writeSecret(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /** Atomically replaces {@code target} with {@code content} (default permissions). */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /** Writes {@code target} only if it does not exist yet; false if it did. Atomic, 0600. */
    public static boolean createSecret(Path target, byte[] content) throws IOException {
        Path tmp = tempBeside(target, true);
        try {
            fill(tmp, content);
            try {
                Files.createLink(target, tmp); // fails if target exists: first writer wins
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                if (Files.exists(target)) {
                    return false;
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(target.toAbsolutePath().getParent());
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code dir} owner-only (0700) if it does not exist, and every missing parent too (an
     * existing parent keeps its permissions). Created 0700 from the start, never widened first.
     */
    public static Path ensurePrivateDirectory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            ensurePrivateDirectory(parent);
        }
        try {
            if (posix(parent == null ? abs : parent)) {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                Files.setPosixFilePermissions(abs, OWNER_ONLY_DIR); // the umask may have narrowed it differently
            } else {
                Files.createDirectory(abs);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return dir;
    }

    /**
     * Opens {@code file} for appending; a file that does not exist yet is created owner-only (0600
     * where POSIX permissions exist), an existing one keeps its permissions (an operator may have
     * opened it to a log shipper's group on purpose).
     */
    public static FileChannel openPrivateAppend(Path file) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && posix(dir)) {
            return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return FileChannel.open(file, options);
    }

    private static void write(Path target, byte[] content, boolean secret) throws IOException {
        Path tmp = tempBeside(target, secret);
        try {
            fill(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(target.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The part of a temp file's name taken from its target's: the whole name, or for a long one its
     * first 128 bytes (UTF-8), so that the temp name stays inside the 255-byte file name limit of
     * Linux file systems whatever the target's length.
     */
    public static String tempStem(Path target) {
        String name = target.getFileName().toString();
        int end = 0;
        for (int bytes = 0, i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            bytes += new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 128) {
                break;
            }
            i += Character.charCount(cp);
            end = i;
        }
        return name.substring(0, end);
    }

    private static Path tempBeside(Path target, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String prefix = "." + tempStem(target) + ".";
        if (secret && posix(dir)) {
            return Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    private static void fill(Path tmp, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable. Not possible on every OS/file system; best effort there.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Directory fsync is unsupported on some platforms; the file content itself was forced.
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
