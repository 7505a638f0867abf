package io.servletsse.cli;

import io.servletsse.crypto.DataKey;
import io.servletsse.engine.SseRuntime;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * {@code rewrap FILE|DIR... --to TARGET [--dry-run] [--copy]}: re-wraps each object's data key under
 * another master key or version. The data key, the salt and every segment stay as they are; only the
 * header's key envelope and MAC change. When the new header has the old one's length (the format pads
 * headers for this), it is rewritten in place through {@link HeaderJournal}; otherwise, or with
 * {@code --copy}, the object is copied whole to a temp file and renamed over the original. Resumable:
 * objects already under the target are skipped, and an interrupted run's journal is finished first.
 */
final class RewrapCommand {
    private RewrapCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of("--to", "--dry-run", "--copy"));
        if (s.args.positional.isEmpty()) {
            throw new UsageException("rewrap needs a FILE or DIR");
        }
        String to = s.args.required("--to", "(newest, AES256, SM4, AES256@vN, SM4@vN, a CMK id or alias)");
        boolean dryRun = s.args.flag("--dry-run");
        boolean copy = s.args.flag("--copy");
        SseRuntime rt = s.runtime();
        TempLedger ledger = s.ledger();
        ObjectTree tree = ObjectTree.of(s.args.positional, ledger.listed());
        RewrapTarget target = new RewrapTarget(to, rt.keys().services());
        HeaderJournal journal = HeaderJournal.of(rt);
        if (!dryRun) {
            s.lockForChanges();
            recover(s.report, journal);
            tree.deleteLeftovers(s.report, ledger);
        }
        Progress progress = s.progress(tree.files.size(), tree.totalBytes);
        Counts c = new Counts();
        for (Path f : tree.files) {
            c.add(rewrap(s.report, rt, target, journal, f, dryRun, copy, ledger));
            try {
                progress.bytes(java.nio.file.Files.size(f));
            } catch (IOException e) {
                // progress only
            }
            progress.fileDone();
        }
        progress.finish();
        s.report.line(Report.fields("summary", "rewrap", "to", to, "dryRun", dryRun, "files", tree.files.size(),
                        "rewrapped", c.done, "alreadyThere", c.already, "notEncrypted", c.skipped, "failed", c.failed),
                (dryRun ? "dry run: would rewrap " : "rewrapped ") + c.done + " of " + tree.files.size() + " files to "
                        + to + "; " + c.already + " already there, " + c.skipped + " not encrypted, " + c.failed + " failed");
        return s.report.findings() > 0 ? 1 : 0;
    }

    static void recover(Report report, HeaderJournal journal) {
        try {
            for (HeaderJournal.Outcome o : journal.recover()) {
                String file = o.object() == null ? "?" : o.object().toString();
                Map<String, Object> m = Report.fields("file", file, "status", o.status(), "message", o.message());
                if (o.status().equals("journal-corrupt") || o.status().equals("journal-stuck")) {
                    report.finding(m, file + ": " + o.message());
                } else {
                    report.line(m, file + ": " + o.message());
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot recover the rewrap journal: " + e.getMessage(), e);
        }
    }

    private static final class Counts {
        int done;
        int already;
        int skipped;
        int failed;

        void add(String status) {
            switch (status) {
                case "rewrapped", "would-rewrap" -> done++;
                case "already" -> already++;
                case "skipped" -> skipped++;
                default -> failed++;
            }
        }
    }

    private static String rewrap(Report r, SseRuntime rt, RewrapTarget target, HeaderJournal journal, Path f,
            boolean dryRun, boolean copy, TempLedger ledger) {
        Map<String, Object> m = Report.fields("file", f.toString());
        try {
            FileIdentity before = FileIdentity.of(f);
            Probe p = Probe.of(f);
            if (p.kind() == Probe.Kind.MALFORMED) {
                m.put("status", "failed");
                m.put("reason", p.problem().reason().name());
                r.finding(m, f + ": begins with the format's magic but has no valid header (" + p.problem().getMessage()
                        + "); not rewrapped");
                return "failed";
            }
            if (p.kind() != Probe.Kind.ENCRYPTED) {
                m.put("status", "skipped");
                m.put("kind", p.kindName());
                r.line(m, f + ": not encrypted, skipped");
                return "skipped";
            }
            ObjectHeader old = p.header();
            m.put("from", Describe.key(old.keyEnvelope()));
            if (target.satisfiedBy(old)) {
                m.put("status", "already");
                r.line(m, f + ": already under " + Describe.key(old.keyEnvelope()));
                return "already";
            }
            try (SseRuntime.Download d = rt.openDownload(old)) { // unwraps and checks the header MAC
                DataKey key = d.dataKey();
                KeyEnvelope env = target.wrap(old, key);
                ObjectHeader next = old.withKeyEnvelope(env);
                byte[] bytes = next.encode(key);
                checkOpens(next, bytes, key);
                m.put("to", Describe.key(env));
                boolean inPlace = !copy && bytes.length == old.length();
                m.put("method", inPlace ? "in-place" : "copy");
                if (dryRun) {
                    m.put("status", "would-rewrap");
                    r.line(m, f + ": would rewrap " + m.get("from") + " -> " + m.get("to") + " (" + m.get("method") + ")");
                    return "would-rewrap";
                }
                if (inPlace) {
                    inPlace(f, before, p, bytes, journal);
                } else {
                    copy(f, before, p, bytes, ledger);
                }
                m.put("status", "rewrapped");
                String why = inPlace ? "header rewritten in place" : copy ? "copied (--copy)"
                        : "copied: the new header is " + bytes.length + " B, the old one " + old.length() + " B";
                r.line(m, f + ": rewrapped " + m.get("from") + " -> " + m.get("to") + ", " + why);
                return "rewrapped";
            }
        } catch (IOException | RuntimeException e) {
            m.put("status", "failed");
            m.put("reason", Failures.reason(e));
            m.put("message", Failures.message(e));
            r.finding(m, f + ": NOT rewrapped, " + Failures.reason(e) + ": " + Failures.message(e));
            return "failed";
        }
    }

    /** The new header must open under the same data key before it replaces anything (fail closed). */
    private static void checkOpens(ObjectHeader next, byte[] bytes, DataKey key) {
        ObjectHeader parsed = ObjectHeader.parse(bytes, 0, bytes.length);
        if (!parsed.equals(next)) {
            throw new IllegalStateException("the new header does not parse back to itself");
        }
        ObjectCrypto.openForDecryption(parsed, key).close();
    }

    private static void inPlace(Path f, FileIdentity before, Probe p, byte[] bytes, HeaderJournal journal)
            throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // The header we authenticated must still be the one on disk, and the file the one we probed.
            ByteBuffer cur = ByteBuffer.allocate(p.headerBytes().length);
            while (cur.hasRemaining() && ch.read(cur, cur.position()) > 0) {
                // reads the header area
            }
            if (!before.stillMatches(f) || !Arrays.equals(cur.array(), p.headerBytes())) {
                throw new IOException("changed while being rewrapped (left as it is; rerun to retry)");
            }
            journal.rewrite(f, ch, ch.size(), p.headerBytes(), bytes);
        }
    }

    private static void copy(Path f, FileIdentity before, Probe p, byte[] bytes, TempLedger ledger) throws IOException {
        int links = FileIdentity.hardLinks(f);
        if (links > 1) {
            // A copy renamed over one name would leave the old envelope under the others.
            throw new IOException("has " + links + " hard links; a copy would rewrap one name only (use in-place mode)");
        }
        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                AtomicOutput out = AtomicOutput.beside(f, ledger)) {
            FileChannel ch = out.channel();
            ByteBuffer h = ByteBuffer.wrap(bytes);
            while (h.hasRemaining()) {
                ch.write(h);
            }
            long pos = p.header().length();
            long size = in.size();
            while (pos < size) {
                long n = in.transferTo(pos, size - pos, ch);
                if (n <= 0) {
                    throw new IOException("changed while being rewrapped (shorter than it was)");
                }
                pos += n;
            }
            if (!before.stillMatches(f)) {
                throw new IOException("changed while being rewrapped (left as it is; rerun to retry)");
            }
            out.commit();
        }
    }
}
