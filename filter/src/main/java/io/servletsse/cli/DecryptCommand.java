package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code decrypt FILE -o OUT [--force]}: the plaintext the filter would serve, with the same keys.
 * OUT appears only once every segment has authenticated (temp file, then rename), so a bad object
 * never leaves partial plaintext behind. {@code -o -} streams to stdout: there, bytes of segments that
 * authenticated may already be out when a later one fails (exit status 1 says so).
 */
final class DecryptCommand {
    private DecryptCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of("-o", "--force"));
        if (s.args.positional.size() != 1) {
            throw new UsageException("decrypt needs exactly one FILE");
        }
        Path in = Path.of(s.args.positional.get(0));
        String outArg = s.args.required("-o", "OUT (a file, or - for stdout)");
        if (!Files.isRegularFile(in)) {
            throw new UsageException("no such file: " + in);
        }
        boolean toStdout = outArg.equals("-");
        Path out = toStdout ? null : Path.of(outArg);
        if (out != null && Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !s.args.flag("--force")) {
            throw new UsageException(out + " exists (--force to replace it)");
        }
        SseRuntime rt = s.runtime();
        Map<String, Object> m = Report.fields("file", in.toString(), "output", outArg);
        // With -o -, stdout carries the plaintext, so the report goes to stderr.
        Report report = toStdout ? new Report(s.err, s.report.json()) : s.report;
        try {
            Probe p = Probe.of(in);
            Progress progress = toStdout ? Progress.OFF : s.progress(1, p.size());
            long n;
            if (toStdout) {
                n = ObjectReader.copyPlaintext(rt, p, s.out, progress);
                s.out.flush();
                if (s.out.checkError()) { // a PrintStream keeps write errors to itself: a full disk, a closed pipe
                    throw new IOException("writing the plaintext to standard output failed");
                }
            } else {
                try (AtomicOutput o = AtomicOutput.beside(out)) {
                    OutputStream os = o.stream();
                    n = ObjectReader.copyPlaintext(rt, p, os, progress);
                    os.flush();
                    o.commit();
                }
            }
            progress.finish();
            m.put("status", "ok");
            m.put("kind", p.kindName());
            m.put("plaintextLength", n);
            String note = p.kind() == Probe.Kind.PLAINTEXT ? " (the file is not encrypted: copied as is, as the filter serves it)" : "";
            report.line(m, in + ": decrypted " + n + " B to " + outArg + note);
            return 0;
        } catch (IOException | RuntimeException e) {
            m.put("status", "bad");
            m.put("reason", Failures.reason(e));
            m.put("message", Failures.message(e));
            report.finding(m, in + ": NOT decrypted, " + Failures.reason(e) + ": " + Failures.message(e)
                    + (toStdout ? "" : " (" + outArg + " not written)"));
            return 1;
        }
    }
}
