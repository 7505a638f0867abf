package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify FILE|DIR...}: authenticates every segment of every object with the configured keys,
 * exactly as a download would. Exit status 0 only if every object is sound; plaintext files (stored
 * before encryption was enabled) are listed but are not findings. Pending rewrap journals are.
 */
final class VerifyCommand {
    private VerifyCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of());
        if (s.args.positional.isEmpty()) {
            throw new UsageException("verify needs a FILE or DIR");
        }
        SseRuntime rt = s.runtime();
        ObjectTree tree = ObjectTree.of(s.args.positional, s.ledger().listed());
        HeaderJournal.of(rt).reportPending(s.report);
        Progress progress = s.progress(tree.files.size(), tree.totalBytes);
        int ok = 0;
        int plain = 0;
        for (Path f : tree.files) {
            String status = verify(s.report, rt, f, progress);
            if (status.equals("ok")) {
                ok++;
            } else if (status.equals("plaintext")) {
                plain++;
            }
            progress.fileDone();
        }
        progress.finish();
        int bad = tree.files.size() - ok - plain;
        s.report.line(Report.fields("summary", "verify", "files", tree.files.size(), "ok", ok, "plaintext", plain, "bad", bad),
                "verified " + tree.files.size() + " files: " + ok + " ok, " + plain + " plaintext (not encrypted), "
                        + bad + " bad");
        return s.report.findings() > 0 ? 1 : 0;
    }

    private static String verify(Report r, SseRuntime rt, Path f, Progress progress) {
        Map<String, Object> m = Report.fields("file", f.toString());
        Probe p;
        try {
            p = Probe.of(f);
            m.put("kind", p.kindName());
            long n = ObjectReader.copyPlaintext(rt, p, ObjectReader.DISCARD, progress);
            if (p.kind() == Probe.Kind.PLAINTEXT) {
                m.put("status", "plaintext");
                r.line(m, f + ": plaintext (not encrypted), " + n + " B");
                return "plaintext";
            }
            m.put("status", "ok");
            m.put("plaintextLength", n);
            if (p.header() != null && p.kind() == Probe.Kind.ENCRYPTED) {
                Describe.header(m, p.header());
            }
            r.line(m, f + ": ok, " + n + " B" + (p.kind() == Probe.Kind.ENCRYPTED
                    ? " under " + Describe.key(p.header().keyEnvelope()) : " (plain envelope)"));
            return "ok";
        } catch (IOException | RuntimeException e) {
            m.put("status", "bad");
            m.put("reason", Failures.reason(e));
            m.put("message", Failures.message(e));
            r.finding(m, f + ": BAD " + Failures.reason(e) + ": " + Failures.message(e));
            return "bad";
        }
    }
}
