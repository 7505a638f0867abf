package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import io.servletsse.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Crash-safe in-place header rewrites (rewrap). Overwriting the first H bytes of an object is one
 * {@code pwrite}, which a killed process never tears, but a power cut can leave it half written (a
 * torn header: the object no longer opens). So, as a database does with a page write, the new header
 * goes to a journal record first:
 *
 * <ol>
 *   <li>write {@code <dataDir>/cli-journal/<sha256(path)>.rewrap} atomically (temp, fsync, rename,
 *       fsync dir): object path, stored length, old header, new header, SHA-256 over all of it;</li>
 *   <li>write the new header over the old one, fsync the object;</li>
 *   <li>delete the record.</li>
 * </ol>
 *
 * Recovery (start of every rewrap, and reported by verify): for each record, if the object's header
 * area is the new header, the record is stale; if every byte is the old or the new header's byte at
 * that position (an old header, or a torn mix of the two) and the length is unchanged, the new header
 * is written again (roll forward: it is complete and valid); anything else means the object was
 * replaced since, and the record is dropped. The headers in a record are not secret (the wrapped key
 * is useless without the master key); the records are 0600 anyway, beside the key material.
 */
final class HeaderJournal {
    static final String DIRECTORY = "cli-journal";
    private static final byte[] MAGIC = "SSEJRNL1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RECORD = 64 * 1024;

    private final Path dir;

    HeaderJournal(Path dir) {
        this.dir = dir;
    }

    static HeaderJournal of(SseRuntime rt) {
        return new HeaderJournal(rt.config().dataDirectory().resolve(DIRECTORY));
    }

    /** Test hook: how a crash after step 1 leaves things (the record written, the header not). */
    void writeRecord(Path object, long size, byte[] oldHeader, byte[] newHeader) throws IOException {
        AtomicFiles.ensurePrivateDirectory(dir);
        AtomicFiles.writeSecret(recordFile(object), encode(object.toAbsolutePath().normalize(), size, oldHeader, newHeader));
    }

    /** Rewrites the header of {@code object} (open read-write as {@code ch}) through the journal. */
    void rewrite(Path object, FileChannel ch, long size, byte[] oldHeader, byte[] newHeader) throws IOException {
        if (oldHeader.length != newHeader.length) {
            throw new IllegalArgumentException("an in-place rewrite keeps the header length");
        }
        writeRecord(object, size, oldHeader, newHeader);
        writeAt(ch, newHeader);
        Files.delete(recordFile(object));
        // Not fsyncing the directory here: a record that reappears after a crash is found stale.
    }

    /** What recovery did with one record. */
    record Outcome(Path object, String status, String message) {}

    /** Finishes or drops every record left by an interrupted run. */
    List<Outcome> recover() throws IOException {
        List<Outcome> out = new ArrayList<>();
        for (Path rec : records()) {
            out.add(recover(rec));
        }
        return out;
    }

    /** Lists pending records as findings without touching anything (verify). */
    void reportPending(Report report) {
        try {
            for (Path rec : records()) {
                Record r = read(rec);
                String obj = r == null ? "?" : r.object.toString();
                report.finding(Report.fields("file", obj, "status", "pending-rewrap", "journal", rec.toString()),
                        obj + ": an interrupted rewrap left a journal record (" + rec + "); rerun rewrap to finish it");
            }
        } catch (IOException e) {
            report.finding(Report.fields("status", "error", "journal", dir.toString(), "reason", e.toString()),
                    "cannot read the rewrap journal " + dir + ": " + e);
        }
    }

    private List<Path> records() throws IOException {
        List<Path> recs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return recs;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.rewrap")) {
            ds.forEach(recs::add);
        }
        recs.sort(null);
        return recs;
    }

    private Outcome recover(Path rec) throws IOException {
        Record r = read(rec);
        if (r == null) {
            return new Outcome(null, "journal-corrupt", rec + " is not a valid journal record; left in place, inspect it");
        }
        byte[] cur;
        long size;
        try (FileChannel ch = FileChannel.open(r.object, StandardOpenOption.READ, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(r.newHeader.length);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // reads the header area
            }
            cur = Arrays.copyOf(b.array(), b.position());
            if (Arrays.equals(cur, r.newHeader)) {
                Files.delete(rec);
                return new Outcome(r.object, "journal-done", "header already rewritten; record removed");
            }
            if (size == r.size && cur.length == r.newHeader.length && mixOf(cur, r.oldHeader, r.newHeader)) {
                writeAt(ch, r.newHeader);
                Files.delete(rec);
                return new Outcome(r.object, "journal-completed", "interrupted header rewrite completed");
            }
        } catch (NoSuchFileException e) {
            Files.delete(rec);
            return new Outcome(r.object, "journal-dropped", "object no longer exists; record removed");
        } catch (IOException e) {
            // This object only (no permission, now a directory...): the others are recovered and rewrapped.
            return new Outcome(r.object, "journal-stuck", "cannot finish its interrupted header rewrite (" + e.getMessage()
                    + "); record " + rec + " left in place, fix the object and rerun");
        }
        Files.delete(rec);
        return new Outcome(r.object, "journal-dropped", "object was replaced since the interrupted rewrap; record removed");
    }

    private static boolean mixOf(byte[] cur, byte[] a, byte[] b) {
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] != a[i] && cur[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static void writeAt(FileChannel ch, byte[] header) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(header);
        while (b.hasRemaining()) {
            ch.write(b, b.position());
        }
        ch.force(true);
    }

    private Path recordFile(Path object) {
        byte[] path = object.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return dir.resolve(HexFormat.of().formatHex(sha256(path)) + ".rewrap");
    }

    private record Record(Path object, long size, byte[] oldHeader, byte[] newHeader) {}

    private static byte[] encode(Path object, long size, byte[] oldHeader, byte[] newHeader) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        byte[] path = object.toString().getBytes(StandardCharsets.UTF_8);
        out.write(MAGIC);
        out.writeShort(path.length);
        out.write(path);
        out.writeLong(size);
        out.writeShort(oldHeader.length);
        out.write(oldHeader);
        out.write(newHeader);
        out.write(sha256(bo.toByteArray()));
        return bo.toByteArray();
    }

    /** The record, or null if it is not one we wrote intact (bounded before anything is allocated). */
    private static Record read(Path rec) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(rec)) {
            b = in.readNBytes(MAX_RECORD + 1);
        }
        if (b.length > MAX_RECORD || b.length < MAGIC.length + 32) {
            return null;
        }
        int body = b.length - 32;
        if (!MessageDigest.isEqual(sha256(Arrays.copyOf(b, body)), Arrays.copyOfRange(b, body, b.length))) {
            return null;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(b, 0, body);
            byte[] magic = new byte[MAGIC.length];
            buf.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return null;
            }
            byte[] path = new byte[buf.getShort() & 0xffff];
            buf.get(path);
            long size = buf.getLong();
            int h = buf.getShort() & 0xffff;
            byte[] oldHeader = new byte[h];
            byte[] newHeader = new byte[h];
            buf.get(oldHeader);
            buf.get(newHeader);
            if (buf.hasRemaining()) {
                return null;
            }
            return new Record(Path.of(new String(path, StandardCharsets.UTF_8)), size, oldHeader, newHeader);
        } catch (java.nio.BufferUnderflowException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
