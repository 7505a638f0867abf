package io.servletsse.cli;

import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

    /** Records {@code temp} durably (written whole, fsync, rename); called before the temp file is created. */
    void record(Path temp) throws IOException {
        AtomicFiles.writeSecret(file, (temp.toAbsolutePath().normalize() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded temp file is gone (renamed over its target, or deleted). */
    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
