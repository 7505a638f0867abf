package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.SseAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code encrypt FILE -o OUT (--bucket B | --sse AES256|SM4|KMS [--kms-key ID] [--kms-data SM4]) [--force]}:
 * a stored object exactly as the filter would store an upload of FILE (same keys, same rule), for
 * placing objects into a file service offline. Written to a temp file, read back, then renamed.
 */
final class EncryptCommand {
    private EncryptCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of("-o", "--bucket", "--sse", "--kms-key", "--kms-data", "--force"));
        if (s.args.positional.size() != 1) {
            throw new UsageException("encrypt needs exactly one FILE");
        }
        Path in = Path.of(s.args.positional.get(0));
        Path out = Path.of(s.args.required("-o", "OUT"));
        if (!Files.isRegularFile(in)) {
            throw new UsageException("no such file: " + in);
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !s.args.flag("--force")) {
            throw new UsageException(out + " exists (--force to replace it)");
        }
        SseRuntime rt = s.runtime();
        String bucket = s.args.value("--bucket");
        EncryptionRule rule = rule(s.args, rt, bucket);
        Map<String, Object> m = Report.fields("file", in.toString(), "output", out.toString(), "rule", rule.toString());
        try (InputStream src = Files.newInputStream(in); AtomicOutput o = AtomicOutput.beside(out)) {
            Progress progress = s.progress(1, Files.size(in));
            ObjectWriter.Written w = ObjectWriter.encrypt(rt, rule, bucket == null ? "" : bucket, src, Files.size(in), o,
                    progress);
            o.commit();
            progress.finish();
            m.put("status", "ok");
            m.put("storedLength", w.storedLength());
            Describe.header(m, w.header());
            s.report.line(m, in + ": encrypted " + w.plaintextLength() + " B to " + out + " under " + rule + " ("
                    + Describe.key(w.header().keyEnvelope()) + ")");
            return 0;
        } catch (IOException | RuntimeException e) {
            m.put("status", "failed");
            m.put("reason", Failures.reason(e));
            m.put("message", Failures.message(e));
            s.report.finding(m, in + ": NOT encrypted, " + Failures.reason(e) + ": " + Failures.message(e));
            return 1;
        }
    }

    private static EncryptionRule rule(Args a, SseRuntime rt, String bucket) {
        String sse = a.value("--sse");
        if (sse == null && bucket == null) {
            throw new UsageException("encrypt needs --bucket B (its rule) or --sse AES256|SM4|KMS");
        }
        if (sse == null) {
            if (a.value("--kms-key") != null || a.value("--kms-data") != null) {
                throw new UsageException("--kms-key and --kms-data go with --sse KMS");
            }
            EncryptionRule r = rt.rules().effective(bucket);
            if (r.isNone()) {
                throw new UsageException("bucket " + bucket + " has no encryption rule; give --sse");
            }
            return r;
        }
        SseAlgorithm alg = SseAlgorithm.fromHeader(sse);
        if (alg == null) {
            throw new UsageException("--sse must be AES256, SM4 or KMS, got " + sse);
        }
        try {
            return new EncryptionRule(alg, a.value("--kms-key"), a.value("--kms-data"));
        } catch (RuntimeException e) {
            throw new UsageException("invalid rule: " + e.getMessage(), e);
        }
    }
}
