package io.servletsse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stored objects under the paths given on the command line: regular files, depth first in name
 * order (so reruns visit files in the same order), never following symbolic links, and never the
 * tool's own temp files. Leftover temp files of an interrupted run are collected separately so the
 * mutating commands can delete them.
 */
final class ObjectTree {
    /** Temp files the tool writes beside a target: {@code .<name>.servlet-sse-<random>.tmp}. */
    static final Pattern TEMP = Pattern.compile("\\..+\\.servlet-sse-[0-9]+\\.tmp");

    final List<Path> files = new ArrayList<>();
    final List<Path> leftovers = new ArrayList<>();
    long totalBytes;

    /**
     * The directory a root's files are listed under: its real path when the root itself is a symbolic
     * link (followed, see {@link #of}), else the root as given, absolute.
     */
    static Path walkedRoot(Path root) {
        try {
            return Files.isSymbolicLink(root) ? root.toRealPath() : root.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UsageException("cannot resolve " + root + ": " + e.getMessage(), e);
        }
    }

    static ObjectTree of(List<String> roots) {
        ObjectTree t = new ObjectTree();
        for (String r : roots) {
            Path root = Path.of(r);
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException("no such file or directory: " + r);
            }
            // A root given as a symbolic link (a data directory on another volume) is followed; links below it are not.
            Path start = Files.isSymbolicLink(root) ? walkedRoot(root) : root;
            try (Stream<Path> s = Files.walk(start)) {
                s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(t::add);
            } catch (IOException | UncheckedIOException e) {
                throw new UsageException("cannot list " + r + ": " + e.getMessage(), e);
            }
        }
        return t;
    }

    private void add(Path p) {
        if (TEMP.matcher(p.getFileName().toString()).matches()) {
            leftovers.add(p);
            return;
        }
        files.add(p);
        try {
            totalBytes += Files.size(p);
        } catch (IOException e) {
            // vanished while listing: the command reports it when it gets there
        }
    }

    /** Deletes temp files left by an interrupted run (never a stored object: the name says whose they are). */
    void deleteLeftovers(Report report) {
        for (Path p : leftovers) {
            try {
                Files.deleteIfExists(p);
                report.line(Report.fields("file", p.toString(), "status", "leftover-deleted"),
                        p + ": deleted temp file of an interrupted run");
            } catch (IOException e) {
                report.finding(Report.fields("file", p.toString(), "status", "error", "reason", e.getMessage()),
                        p + ": cannot delete temp file of an interrupted run: " + e.getMessage());
            }
        }
    }
}
