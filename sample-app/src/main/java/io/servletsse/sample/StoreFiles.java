package io.servletsse.sample;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * File-system moves of {@link ObjectStore}: keys map to nested files, so a key can collide with
 * the directory another key needs, and deleting the last key of a directory leaves it to prune.
 */
final class StoreFiles {
    private StoreFiles() {}

    /** Creates the parent directories of {@code to}; InvalidObjectName if a file or directory is in the way. */
    static void makeRoomFor(Path to) throws IOException {
        try {
            Files.createDirectories(to.getParent());
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw conflict(); // an existing object "a" where key "a/b" needs a directory
        }
        if (Files.isDirectory(to)) {
            throw conflict(); // keys "a/..." exist, so "a" is a directory
        }
    }

    static void moveIntoPlace(Path from, Path to) throws IOException {
        for (int attempt = 0; ; attempt++) {
            makeRoomFor(to);
            try {
                atomicMove(from, to);
                return;
            } catch (NoSuchFileException e) {
                if (attempt == 3) {
                    throw e; // a concurrent delete keeps pruning the parent directory
                }
            }
        }
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static ServiceError conflict() {
        return ServiceError.invalidObjectName("the key collides with an existing object or key prefix "
                + "(this file service stores 'a' and 'a/b' as a file and a directory, so not both)");
    }

    static void pruneEmptyParents(Path file, Path stopAt) {
        for (Path d = file.getParent(); d != null && !d.equals(stopAt) && d.startsWith(stopAt); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // best effort: an empty directory left behind is harmless
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String keyOf(Path bucketDir, Path file) {
        Path rel = bucketDir.relativize(file);
        List<String> parts = new ArrayList<>();
        rel.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }
}
