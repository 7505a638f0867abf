package io.servletsse.cli;

import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One mutating run (rewrap, encrypt-existing) per deployment at a time: an exclusive lock on
 * {@code <dataDir>/cli-journal/run.lock}, released by the OS if the process dies (so a kill -9 never
 * leaves a stale lock). Two runs on one tree would otherwise race on the same files and journal
 * records. It does not hold off the application itself (see docs/CLI.md).
 */
final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static RunLock acquire(Path dataDirectory) {
        Path dir = dataDirectory.resolve(HeaderJournal.DIRECTORY);
        FileChannel ch = null;
        try {
            AtomicFiles.ensurePrivateDirectory(dir);
            ch = FileChannel.open(dir.resolve("run.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this JVM
            }
            if (l == null) {
                ch.close();
                throw new UsageException("another servlet-sse-cli run is changing objects of " + dataDirectory
                        + " (lock " + dir.resolve("run.lock") + "); wait for it to finish");
            }
            return new RunLock(ch, l);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            throw new UsageException("cannot lock " + dir.resolve("run.lock") + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the OS releases the lock with the process anyway
        }
    }
}
