package io.servletsse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which version of a file the tool read: inode (file key), size and modification time. Checked again
 * just before the tool replaces the file, so an object the application rewrote meanwhile is left
 * alone (reported) instead of being overwritten with a converted copy of its old content. The window
 * between that check and the rename remains: run the mutating commands on a quiescent tree.
 */
record FileIdentity(Object fileKey, long size, long modifiedNanos) {
    static FileIdentity of(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            // Listed as a regular file, now a link, FIFO or directory: never followed, never read.
            throw new IOException("is no longer a regular file (a symbolic link or special file took its place)");
        }
        return new FileIdentity(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** How many names the file has (1 where the file system has no such notion). */
    static int hardLinks(Path f) {
        try {
            return ((Number) Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return 1;
        }
    }

    boolean stillMatches(Path p) throws IOException {
        try {
            return equals(of(p));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
