package io.servletsse.cli;

import io.servletsse.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The sample app's per-object sidecar ({@code <data-dir>/meta/<bucket>/<key>}, a properties file with
 * {@code size}, {@code etag} = MD5 and {@code crc64ecma} of the stored bytes, and the upload headers it
 * replays). encrypt-existing changes the stored bytes, so with {@code --meta DIR} it rewrites these three
 * values for the new bytes and keeps everything else (the replayed Content-Type etc.). A missing sidecar
 * stays missing (the app recomputes it). Written atomically, before the object is renamed into place:
 * after a crash in between, the sizes disagree with the (still plaintext) object, which makes the app
 * recompute from the bytes, and the rerun that converts the object writes the sidecar again.
 */
final class Sidecar {
    private static final int MAX_SIDECAR = 1 << 20;

    private Sidecar() {}

    /** Updates the sidecar at {@code file} if there is one; returns whether there was. */
    static boolean update(Path file, long size, String md5Hex, String crc64) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_SIDECAR + 1);
            if (b.length > MAX_SIDECAR) {
                throw new IOException("sidecar " + file + " is larger than " + MAX_SIDECAR + " bytes");
            }
            p.load(new java.io.ByteArrayInputStream(b));
        } catch (NoSuchFileException e) {
            return false;
        }
        p.setProperty("size", Long.toString(size));
        p.setProperty("etag", md5Hex);
        p.setProperty("crc64ecma", crc64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "servlet-sse sample app object metadata (updated by servlet-sse-cli encrypt-existing)");
        AtomicFiles.write(file, out.toByteArray());
        return true;
    }
}
