package io.servletsse.cli;

import io.servletsse.error.SseException;
import io.servletsse.kms.KeyMetadata;
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.ServiceMasterKeys;
import java.util.List;
import java.util.Set;

/**
 * {@code keys list} and {@code keys rotate AES256|SM4|CMK}: the service master key rings and the KMS
 * CMKs of the configuration, and on-demand rotation. Rotation makes a new version that new objects
 * use; old versions keep decrypting, and {@code rewrap DIR --to newest} moves existing objects.
 * Prints ids, versions, dates and states, never key material.
 */
final class KeysCommand {
    private KeysCommand() {}

    static int run(Session s) {
        s.args.allowOnly(Set.of());
        List<String> a = s.args.positional;
        if (a.isEmpty()) {
            throw new UsageException("keys needs list or rotate");
        }
        KeyServices keys = s.runtime().keys().services();
        try {
            switch (a.get(0)) {
                case "list" -> {
                    if (a.size() != 1) {
                        throw new UsageException("keys list takes no argument");
                    }
                    list(s.report, keys);
                }
                case "rotate" -> {
                    if (a.size() != 2) {
                        throw new UsageException("keys rotate needs one of AES256, SM4, a CMK id or alias/NAME");
                    }
                    rotate(s.report, keys, a.get(1));
                }
                default -> throw new UsageException("keys " + a.get(0) + ": unknown (list, rotate)");
            }
        } catch (SseException e) {
            s.report.finding(Report.fields("status", "failed", "code", e.ossCode(), "message", e.getMessage()),
                    "failed: " + e.ossCode() + " " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void list(Report r, KeyServices keys) {
        for (String alg : ServiceMasterKeys.ALGORITHMS) {
            List<ServiceMasterKeys.VersionInfo> vs = keys.serviceMasterKeys().versions(alg);
            for (int i = 0; i < vs.size(); i++) {
                ServiceMasterKeys.VersionInfo v = vs.get(i);
                boolean primary = i == vs.size() - 1;
                r.line(Report.fields("type", "service-master-key", "keyId", v.keyId(), "created", v.created().toString(),
                                "primary", primary),
                        "master key " + v.keyId() + "  created " + v.created() + (primary ? "  (primary: new objects)" : ""));
            }
            if (vs.isEmpty()) {
                r.line(Report.fields("type", "service-master-key", "ring", alg, "versions", 0),
                        "master key " + alg + ": no version yet (made on first use)");
            }
        }
        if (!keys.kmsEnabled()) {
            r.line(Report.fields("type", "kms", "enabled", false), "KMS: not enabled in this configuration");
            return;
        }
        for (KeyMetadata k : keys.keyManager().listKeys()) {
            r.line(Report.fields("type", "cmk", "provider", keys.keyManager().provider(), "keyId", k.keyId(),
                            "state", k.state().kmsName(), "origin", k.origin().name(), "primaryVersion", k.primaryVersion(),
                            "rotationInterval", k.rotationInterval() == null ? null : k.rotationInterval().toString(),
                            "lastRotation", k.lastRotationDate() == null ? null : k.lastRotationDate().toString(),
                            "aliases", k.aliases(), "description", k.description()),
                    "CMK " + k.keyId() + "  " + k.state().kmsName() + "  material v" + k.primaryVersion()
                            + (k.aliases().isEmpty() ? "" : "  " + String.join(",", k.aliases()))
                            + (k.rotationInterval() == null ? "" : "  rotates every " + k.rotationInterval().toDays() + " d"));
        }
    }

    private static void rotate(Report r, KeyServices keys, String which) {
        if (ServiceMasterKeys.ALGORITHMS.contains(which)) {
            String before = keys.serviceMasterKeys().versions(which).stream().reduce((x, y) -> y)
                    .map(ServiceMasterKeys.VersionInfo::keyId).orElse(null);
            String now = keys.serviceMasterKeys().rotate(which);
            r.line(Report.fields("type", "service-master-key", "status", "rotated", "previous", before, "keyId", now),
                    "rotated master key " + which + ": new objects now use " + now
                            + (before == null ? "" : " (was " + before + "; it keeps decrypting)")
                            + "; rewrap DIR --to newest moves existing objects");
            return;
        }
        KeyMetadata k = keys.keyManager().describeKey(which);
        int before = k.primaryVersion();
        KeyMetadata after = keys.keyAdmin().rotateKeyMaterial(k.keyId());
        r.line(Report.fields("type", "cmk", "status", "rotated", "keyId", after.keyId(), "previousVersion", before,
                        "primaryVersion", after.primaryVersion()),
                "rotated CMK " + after.keyId() + ": material v" + before + " -> v" + after.primaryVersion()
                        + " (older versions keep decrypting; rewrap DIR --to newest moves existing objects)");
    }
}
