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
 * order (so reruns visit files in the same order), never following symbolic links. The temp file an
 * interrupted run left (the one its {@link TempLedger} names, never a file picked by its name) is
 * collected separately so the mutating commands can delete it.
 */
final class ObjectTree {
    /** Names of the temp files the tool writes beside a target: {@code .<name>.servlet-sse-<random>.tmp}. */
    static final Pattern TEMP = Pattern.compile("\\..+\\.servlet-sse-[0-9]+\\.tmp");

    final List<Path> files = new ArrayList<>();
    final List<Path> leftovers = new ArrayList<>();
    private final Path leftover;
    long totalBytes;

    private ObjectTree(Path leftover) {
        this.leftover = leftover;
    }

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

    /** The files under {@code roots}; {@code leftover} (absolute, normalized, or null) is the interrupted run's temp file. */
    static ObjectTree of(List<String> roots, Path leftover) {
        ObjectTree t = new ObjectTree(leftover);
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
        if (leftover != null && TEMP.matcher(p.getFileName().toString()).matches()
                && p.toAbsolutePath().normalize().equals(leftover)) {
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

    /**
     * Deletes the temp file an interrupted run left, wherever it is (never a stored object: the
     * ledger says whose it is), then forgets it. Called by a run that holds the run lock.
     */
    void deleteLeftovers(Report report, TempLedger ledger) {
        if (leftover == null) {
            return;
        }
        try {
            if (TEMP.matcher(leftover.getFileName().toString()).matches() && Files.deleteIfExists(leftover)) {
                report.line(Report.fields("file", leftover.toString(), "status", "leftover-deleted"),
                        leftover + ": deleted temp file of an interrupted run");
            }
            ledger.clear();
        } catch (IOException e) {
            report.finding(Report.fields("file", leftover.toString(), "status", "error", "reason", e.getMessage()),
                    leftover + ": cannot delete temp file of an interrupted run: " + e.getMessage());
        }
    }
}
