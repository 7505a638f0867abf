package io.servletsse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The temp file a locked run is writing beside an object, recorded in {@code cli-journal/temp}
 * (fsync) before the file is created and forgotten once it is renamed or deleted. After a crash the
 * next locked run deletes exactly that file. A name proves nothing: an app may store an object
 * called {@code .a.servlet-sse-1.tmp}, so nothing else is ever deleted as a leftover.
 */
final class TempLedger {
    private static final int MAX_BYTES = 8192;

    private final Path file;

    TempLedger(Path dataDirectory) {
        this.file = dataDirectory.resolve("cli-journal").resolve("temp");
    }

    /** The temp file an interrupted run left listed (absolute, normalized), or null. */
    Path listed() {
        try (InputStream in = Files.newInputStream(file)) {
            String s = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? null : Path.of(s).toAbsolutePath().normalize();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code temp} durably; called before the temp file is created. */
    void record(Path temp) throws IOException {
        byte[] line = (temp.toAbsolutePath().normalize() + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** The recorded temp file is gone (renamed over its target, or deleted). */
    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
