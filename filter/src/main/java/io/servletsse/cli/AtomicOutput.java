package io.servletsse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * A file replaced (or created) whole and atomically, streamed: a temp file beside the target (same
 * directory, so the rename is atomic), fsync, rename over the target, fsync the directory. A crash
 * at any point leaves the old file or the new one, and at worst a temp file that the next run of a
 * mutating command deletes: the one its {@link TempLedger} names. The temp file gets the target's permissions
 * (or 0600 for a new file) before any byte is written.
 */
final class AtomicOutput implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final TempLedger ledger;
    private boolean committed;

    private AtomicOutput(Path target, Path temp, FileChannel channel, TempLedger ledger) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.ledger = ledger;
    }

    static AtomicOutput beside(Path target) throws IOException {
        return beside(target, null);
    }

    /** As {@link #beside(Path)}, the temp file recorded in {@code ledger} first (for a run that changes objects). */
    static AtomicOutput beside(Path target, TempLedger ledger) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path temp = dir.resolve("." + io.servletsse.util.AtomicFiles.tempStem(abs) + ".servlet-sse-"
                + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
        Set<PosixFilePermission> mode = OWNER_ONLY;
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        if (posix && Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            mode = Files.getPosixFilePermissions(abs, LinkOption.NOFOLLOW_LINKS);
        }
        if (ledger != null) {
            ledger.record(temp);
        }
        FileChannel ch = posix
                ? FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (posix && !mode.equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(temp, mode); // the object keeps its mode (the umask may have narrowed it)
        }
        return new AtomicOutput(abs, temp, ch, ledger);
    }

    Path temp() {
        return temp;
    }

    FileChannel channel() {
        return channel;
    }

    /** A stream onto the temp file; closing it does not close this output. */
    OutputStream stream() {
        OutputStream raw = Channels.newOutputStream(channel);
        return new java.io.FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // the channel is closed by commit() or close()
            }
        };
    }

    /** Makes the written bytes durable (so a later check of the temp file reads what will be renamed). */
    void sync() throws IOException {
        channel.force(true);
    }

    /** fsync, rename over the target, fsync the directory. */
    void commit() throws IOException {
        channel.force(true);
        channel.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically; nothing was changed", e);
        }
        committed = true;
        syncDirectory(target.getParent());
        if (ledger != null) {
            ledger.clear();
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // Not possible on every OS; the file itself was forced before the rename.
        }
    }

    /** Deletes the temp file unless committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(temp);
            if (ledger != null) {
                ledger.clear();
            }
        }
    }
}
