package io.servletsse.cli;

import io.servletsse.engine.SseInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code inspect FILE...}: what each file is, from its header alone. Needs no configuration and no
 * keys, so nothing here is authenticated yet ({@code verify} does that).
 */
final class InspectCommand {
    private InspectCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of());
        if (s.args.positional.isEmpty()) {
            throw new UsageException("inspect needs at least one FILE");
        }
        ObjectTree tree = ObjectTree.of(s.args.positional, null); // no keys opened: a leftover temp shows as what it is
        for (Path f : tree.files) {
            inspect(s.report, f);
        }
        return s.report.findings() > 0 ? 1 : 0;
    }

    private static void inspect(Report r, Path f) {
        Probe p;
        try {
            p = Probe.of(f);
        } catch (IOException e) {
            r.finding(Report.fields("file", f.toString(), "status", "error", "reason", e.toString()),
                    f + ": cannot read: " + e);
            return;
        }
        Map<String, Object> m = Report.fields("file", f.toString(), "storedLength", p.size());
        switch (p.kind()) {
            case PLAINTEXT -> {
                m.put("format", false);
                m.put("kind", "plaintext");
                m.put("plaintextLength", p.size());
                r.line(m, f + ": not in the format (plaintext, " + p.size() + " B)");
            }
            case PLAIN_ENVELOPE -> {
                m.put("format", true);
                m.put("kind", "plain-envelope");
                m.put("plaintextLength", p.plaintextLength());
                r.line(m, f + ": plain envelope (stored unencrypted; the body began with the format's magic), "
                        + "header " + p.header().length() + " B, plaintext " + p.plaintextLength() + " B");
            }
            case MALFORMED -> {
                m.put("format", false);
                m.put("kind", "malformed");
                m.put("reason", p.problem().reason().name());
                m.put("message", p.problem().getMessage());
                r.finding(m, f + ": begins with the format's magic but has no valid header: " + p.problem().getMessage());
            }
            case ENCRYPTED -> {
                m.put("format", true);
                m.put("kind", "encrypted");
                Describe.header(m, p.header());
                long plain = p.plaintextLength();
                SseInfo info = SseInfo.of(p.header());
                String sse = info.algorithm() + (info.dataEncryption() != null ? ", data " + info.dataEncryption() : "");
                String human = f + ": encrypted, " + Describe.algorithm(p.header().algorithm()) + " (SSE " + sse + "), key "
                        + Describe.key(p.header().keyEnvelope()) + ", segment " + p.header().segmentSize() + " B, header "
                        + p.header().length() + " B, ";
                if (plain >= 0) {
                    m.put("plaintextLength", plain);
                    r.line(m, human + "plaintext " + plain + " B (stored " + p.size() + " B; not yet authenticated)");
                } else {
                    m.put("reason", "TRUNCATED");
                    r.finding(m, human + "stored length " + p.size() + " B is not a whole object (truncated or extended)");
                }
            }
            default -> throw new IllegalStateException();
        }
    }
}
