package io.servletsse.audit;

import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines appended to a file of their own ({@code audit.file}, docs/PERMISSIONS.md): one JSON
 * object per line, UTF-8, {@code \n}-terminated. Lines are gathered and written with one
 * {@code write} per batch of the {@link AsyncAuditSink} ({@link #endOfBatch()}), not one per line:
 * through SLF4J and slf4j-simple each line was a {@code write} syscall, ~2.7 µs of the audit
 * thread's 5.4 µs per line at 11 000 small downloads/s (docs/BENCHMARKS.md).
 *
 * <p>When the file would grow past {@code maxFileBytes} it is renamed to
 * {@code <name>.<UTC time of the rename>} and a new one is started. Rotated files are never
 * deleted here: an audit trail is removed by whoever archives it. A new file is created 0600.
 *
 * <p>Nothing is dropped on an I/O error (disk full, file system gone): the lines of the batch go
 * to the fallback sink (the SLF4J logger {@value AuditSink#LOGGER_NAME}) instead, an error is logged
 * once per run of failures, and the next batch tries the file again (reopened). A line written
 * in part before the error may then appear in both places.
 *
 * <p>Used by the audit thread; {@code synchronized} only for lines written after
 * {@link AsyncAuditSink#close()} on the caller's thread, which then go to the fallback.
 */
public final class AuditFileSink implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFileSink.class);
    private static final DateTimeFormatter ROTATED_SUFFIX =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Pending bytes that are written at once even before the batch ends. */
    static final int FLUSH_BYTES = 256 * 1024;

    private final Path file;
    private final long maxFileBytes;
    private final Clock clock;
    private final AuditSink fallback;
    /** Lines of the batch, each {@code \n}-terminated (a JSON line holds no raw newline). */
    private byte[] pending = new byte[16 * 1024];
    private int pendingBytes;
    private FileChannel channel;
    private long size;
    /** File size past which the next line rotates: {@code maxFileBytes}, pushed on after a failed rotation. */
    private long rotateAt;
    private boolean failing;
    private boolean rotationFailing;
    private boolean closed;

    private AuditFileSink(Path file, long maxFileBytes, Clock clock, AuditSink fallback) {
        this.file = file;
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
        this.fallback = fallback;
        this.rotateAt = maxFileBytes;
    }

    /**
     * Opens (or creates, with its directory: 0700) the audit file. Fails rather than start an audit
     * that cannot be written: the filter then does not start.
     */
    public static AuditFileSink open(Path file, long maxFileBytes, Clock clock, AuditSink fallback) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(fallback, "fallback");
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be positive");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            AtomicFiles.ensurePrivateDirectory(dir);
        }
        AuditFileSink sink = new AuditFileSink(file, maxFileBytes, clock, fallback);
        sink.reopen();
        return sink;
    }

    @Override
    public synchronized void write(String jsonLine) {
        if (closed) {
            fallback.write(jsonLine);
            return;
        }
        byte[] line = jsonLine.getBytes(StandardCharsets.UTF_8);
        int n = line.length + 1;
        if (size + pendingBytes > 0 && size + pendingBytes + n > rotateAt) {
            writePending();
            rotate();
        }
        if (pendingBytes + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingBytes + n, pending.length * 2));
        }
        System.arraycopy(line, 0, pending, pendingBytes, line.length);
        pending[pendingBytes + line.length] = '\n';
        pendingBytes += n;
        if (pendingBytes >= FLUSH_BYTES) {
            writePending();
        }
    }

    /** Writes what the batch gathered, with one {@code write} (a short write continues). */
    @Override
    public synchronized void endOfBatch() {
        writePending();
    }

    /** Writes what is pending and closes the file; later lines go to the fallback. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        writePending();
        closed = true;
        closeChannel();
    }

    private void writePending() {
        if (pendingBytes == 0) {
            return;
        }
        try {
            if (channel == null) {
                reopen();
            }
            ByteBuffer buf = ByteBuffer.wrap(pending, 0, pendingBytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            size += pendingBytes;
            if (failing) {
                failing = false;
                LOG.warn("servlet-sse: the audit file {} is written again", file);
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.error("servlet-sse: audit lines cannot be written to {} ({}); they go to the logger {} until it works again",
                        file, e.toString(), LOGGER_NAME);
            }
            closeChannel(); // reopened by the next batch
            new String(pending, 0, pendingBytes - 1, StandardCharsets.UTF_8).lines().forEach(fallback::write);
        } finally {
            pendingBytes = 0;
            if (pending.length > 4 * FLUSH_BYTES) {
                pending = new byte[16 * 1024]; // a run of huge lines must not keep its buffer
            }
        }
    }

    private void rotate() {
        if (channel == null) {
            return; // failing: the file is retried (and its size read) by the next write
        }
        try {
            Path target = rotatedName();
            closeChannel();
            Files.move(file, target);
            reopen();
            rotateAt = maxFileBytes;
            rotationFailing = false;
        } catch (IOException | RuntimeException e) {
            rotateAt = size + maxFileBytes; // not again for every line
            if (!rotationFailing) {
                rotationFailing = true;
                LOG.error("servlet-sse: the audit file {} could not be rotated ({}); it keeps growing", file, e.toString());
            }
            try {
                if (channel == null) {
                    reopen();
                }
            } catch (IOException reopenFailed) {
                closeChannel(); // the next write reports it and falls back
            }
        }
    }

    private Path rotatedName() {
        String base = file.getFileName() + "." + ROTATED_SUFFIX.format(clock.instant());
        Path target = file.resolveSibling(base);
        for (int i = 2; Files.exists(target); i++) {
            target = file.resolveSibling(base + "-" + i);
        }
        return target;
    }

    private void reopen() throws IOException {
        channel = AtomicFiles.openPrivateAppend(file);
        size = channel.size();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing buffered in a FileChannel: what was written is written
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "AuditFileSink[" + file + ", maxFileBytes=" + maxFileBytes + "]";
    }
}
