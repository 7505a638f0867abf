package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.EncryptionRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * {@code encrypt-existing DIR --bucket B [--meta DIR] [--dry-run]}: brings objects stored before
 * encryption was enabled under bucket B's rule (the filter's effective rule: bucket encryption API,
 * then the configuration file). Each plaintext file (and plain envelope) is encrypted to a temp file
 * beside it, read back and compared, then renamed over it; objects already encrypted are skipped, so a
 * rerun after an interruption finishes the job. Files that begin with the magic but have no valid
 * header are reported, never touched.
 */
final class EncryptExistingCommand {
    private EncryptExistingCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of("--bucket", "--meta", "--dry-run"));
        if (s.args.positional.size() != 1) {
            throw new UsageException("encrypt-existing needs exactly one DIR (the bucket's directory)");
        }
        String bucket = s.args.required("--bucket", "(its rule decides the encryption)");
        boolean dryRun = s.args.flag("--dry-run");
        String metaArg = s.args.value("--meta");
        Path root = Path.of(s.args.positional.get(0));
        if (!Files.isDirectory(root)) {
            throw new UsageException("encrypt-existing needs a directory (the bucket's), got " + root);
        }
        Path meta = metaArg == null ? null : Path.of(metaArg).toAbsolutePath().normalize();
        SseRuntime rt = s.runtime();
        refuseKeyDirectories(root, rt);
        TempLedger ledger = s.ledger();
        ObjectTree tree = ObjectTree.of(s.args.positional, ledger.listed());
        Path walked = ObjectTree.walkedRoot(root);
        EncryptionRule rule = rt.rules().effective(bucket);
        if (rule.isNone()) {
            throw new UsageException("bucket " + bucket + " has no encryption rule (None): nothing to encrypt under; "
                    + "set one in the configuration or over the bucket encryption API first");
        }
        if (!dryRun) {
            s.lockForChanges();
            tree.deleteLeftovers(s.report, ledger);
        }
        Progress progress = s.progress(tree.files.size(), tree.totalBytes);
        int converted = 0;
        int already = 0;
        for (Path f : tree.files) {
            String st = convert(s.report, rt, rule, bucket, walked, meta, f, dryRun, progress, ledger);
            if (st.equals("encrypted") || st.equals("would-encrypt")) {
                converted++;
            } else if (st.equals("already-encrypted")) {
                already++;
            }
            progress.fileDone();
        }
        progress.finish();
        s.report.line(Report.fields("summary", "encrypt-existing", "bucket", bucket, "rule", rule.toString(),
                        "dryRun", dryRun, "files", tree.files.size(), "encrypted", converted, "alreadyEncrypted", already,
                        "findings", s.report.findings()),
                (dryRun ? "dry run: would encrypt " : "encrypted ") + converted + " of " + tree.files.size()
                        + " files under " + rule + "; " + already + " already encrypted, " + s.report.findings()
                        + " problems");
        return s.report.findings() > 0 ? 1 : 0;
    }

    /**
     * The filter's data directory holds the root key and the master keys, and the root key file may
     * be elsewhere: encrypting them under themselves would make every object unrecoverable.
     */
    private static void refuseKeyDirectories(Path root, SseRuntime rt) {
        Path dir = real(root);
        java.util.List<Path> keys = new java.util.ArrayList<>(java.util.List.of(real(rt.config().dataDirectory())));
        String rootKeyFile = rt.config().keys().path("rootKeyFile").asText(null);
        if (rootKeyFile != null) {
            keys.add(real(Path.of(rootKeyFile)));
        }
        for (Path k : keys) {
            if (k.startsWith(dir) || dir.startsWith(k)) {
                throw new UsageException("encrypt-existing refuses " + root + ": it holds or lies inside " + k
                        + ", where the filter keeps its keys; give the bucket's own directory");
            }
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize(); // not there (yet): compare what it names
        }
    }

    private static String convert(Report r, SseRuntime rt, EncryptionRule rule, String bucket, Path root, Path meta,
            Path f, boolean dryRun, Progress progress, TempLedger ledger) {
        Map<String, Object> m = Report.fields("file", f.toString());
        try {
            FileIdentity before = FileIdentity.of(f);
            Probe p = Probe.of(f);
            switch (p.kind()) {
                case ENCRYPTED -> {
                    m.put("status", "already-encrypted");
                    m.put("key", Describe.key(p.header().keyEnvelope()));
                    r.line(m, f + ": already encrypted, skipped");
                    return "already-encrypted";
                }
                case MALFORMED -> {
                    m.put("status", "not-converted");
                    m.put("reason", p.problem().reason().name());
                    r.finding(m, f + ": begins with the format's magic but has no valid header (" + p.problem().getMessage()
                            + "); left as it is, inspect it");
                    return "not-converted";
                }
                default -> {
                    // PLAINTEXT and PLAIN_ENVELOPE are converted below
                }
            }
            int links = FileIdentity.hardLinks(f);
            if (links > 1) {
                // Renaming over one name would leave the plaintext readable under the others.
                m.put("status", "not-converted");
                m.put("reason", "HARD_LINKS");
                r.finding(m, f + ": has " + links + " hard links; encrypting it would leave the plaintext under the "
                        + "other names; left as it is");
                return "not-converted";
            }
            long offset = p.kind() == Probe.Kind.PLAIN_ENVELOPE ? p.header().length() : 0;
            long plainLen = p.size() - offset;
            m.put("kind", p.kindName());
            m.put("plaintextLength", plainLen);
            if (dryRun) {
                m.put("status", "would-encrypt");
                r.line(m, f + ": would encrypt " + plainLen + " B under " + rule);
                return "would-encrypt";
            }
            ObjectWriter.Written w;
            try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    AtomicOutput out = AtomicOutput.beside(f, ledger)) {
                in.position(offset);
                InputStream src = Channels.newInputStream(in);
                w = ObjectWriter.encrypt(rt, rule, bucket, src, plainLen, out, progress);
                if (!before.stillMatches(f)) {
                    throw new IOException("changed while being encrypted (left as it is; rerun to retry)");
                }
                if (meta != null) {
                    Path sidecar = meta.resolve(root.relativize(f.toAbsolutePath().normalize())).normalize();
                    if (!sidecar.startsWith(meta) || sidecar.equals(meta)) {
                        throw new IOException("its sidecar would be " + sidecar + ", outside " + meta);
                    }
                    m.put("sidecar", Sidecar.update(sidecar, w.storedLength(), w.md5Hex(), w.crc64()) ? "updated" : "none");
                }
                out.commit();
            }
            m.put("status", "encrypted");
            m.put("storedLength", w.storedLength());
            Describe.header(m, w.header());
            r.line(m, f + ": encrypted " + plainLen + " B under " + rule + " (" + Describe.key(w.header().keyEnvelope())
                    + ")" + ("updated".equals(m.get("sidecar")) ? ", sidecar updated" : ""));
            return "encrypted";
        } catch (IOException | RuntimeException e) {
            m.put("status", "failed");
            m.put("reason", Failures.reason(e));
            m.put("message", Failures.message(e));
            r.finding(m, f + ": NOT encrypted, " + Failures.reason(e) + ": " + Failures.message(e));
            return "failed";
        }
    }
}
