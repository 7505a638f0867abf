package io.servletsse.cli;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectHeader;
import io.servletsse.kms.KeyManager;
import io.servletsse.kms.KeyMetadata;
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.ServiceMasterKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where {@code rewrap --to} puts data keys, and whether an object is there already (so a rerun skips
 * it). Targets:
 * <ul>
 *   <li>{@code newest}: each object's own key, newest version (service master key ring, or the CMK's
 *       primary material version) — what to run after a rotation;</li>
 *   <li>{@code AES256} / {@code SM4}: the newest version of that service master key ring;
 *       {@code AES256@v3}: that version;</li>
 *   <li>a CMK id or {@code alias/...}: that CMK's primary material version (KMS).</li>
 * </ul>
 * A service master key ring must match the object's content algorithm (AES256 for AES-256-GCM objects,
 * SM4 for SM4-GCM), because the ring is what the filter reports as the object's SSE algorithm.
 */
final class RewrapTarget {
    private static final Pattern RING_VERSION = Pattern.compile("(AES256|SM4)@v[1-9][0-9]{0,8}");

    private final String spec;
    private final KeyServices keys;
    /** The newest key id per service ring / primary material version per CMK, looked up once per run. */
    private final Map<String, String> newestRing = new HashMap<>();
    private final Map<String, KeyMetadata> cmks = new HashMap<>();

    RewrapTarget(String spec, KeyServices keys) {
        this.spec = spec;
        this.keys = keys;
        boolean ok = spec.equals("newest") || ServiceMasterKeys.ALGORITHMS.contains(spec)
                || RING_VERSION.matcher(spec).matches() || spec.startsWith("alias/")
                || spec.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        if (!ok) {
            throw new UsageException("--to must be newest, AES256, SM4, AES256@vN, SM4@vN, a CMK id or alias/NAME; got " + spec);
        }
        if (RING_VERSION.matcher(spec).matches()) {
            String alg = spec.substring(0, spec.indexOf('@'));
            List<ServiceMasterKeys.VersionInfo> vs = keys.serviceMasterKeys().versions(alg);
            if (vs.stream().noneMatch(v -> v.keyId().equals(spec))) {
                throw new UsageException("no service master key " + spec + " (keys list shows the versions)");
            }
        }
        if (isKms(spec)) {
            try {
                cmk(spec); // fails now (exit 2) for an unknown CMK or KMS off, not once per object
            } catch (io.servletsse.error.SseException e) {
                throw new UsageException("--to " + spec + ": " + e.ossCode() + " " + e.getMessage(), e);
            }
        }
    }

    private static boolean isKms(String s) {
        return s.startsWith("alias/") || s.contains("-");
    }

    /** The master key to wrap under for this object (a ring, ring version or CMK reference). */
    private String wrapKeyFor(ObjectHeader h) {
        KeyEnvelope e = h.keyEnvelope();
        String ring = ringOf(h.algorithm());
        if (spec.equals("newest")) {
            return ServiceMasterKeys.PROVIDER.equals(e.provider()) ? ring : e.keyId();
        }
        if (!isKms(spec)) {
            String specRing = spec.contains("@") ? spec.substring(0, spec.indexOf('@')) : spec;
            if (!specRing.equals(ring)) {
                throw new IllegalArgumentException("a " + Describe.algorithm(h.algorithm()) + " object goes under the "
                        + ring + " master key, not " + spec);
            }
        }
        return spec;
    }

    /** Whether the object's data key is already wrapped where this target puts it. */
    boolean satisfiedBy(ObjectHeader h) {
        KeyEnvelope e = h.keyEnvelope();
        String to = wrapKeyFor(h);
        if (ServiceMasterKeys.ALGORITHMS.contains(to)) {
            return ServiceMasterKeys.PROVIDER.equals(e.provider()) && e.keyId().equals(newestOfRing(to));
        }
        if (RING_VERSION.matcher(to).matches()) {
            return ServiceMasterKeys.PROVIDER.equals(e.provider()) && e.keyId().equals(to);
        }
        KeyMetadata k = cmk(to);
        return keys.keyManager().provider().equals(e.provider()) && e.keyId().equals(k.keyId())
                && KeyManager.materialVersionOf(e) == k.primaryVersion();
    }

    /** The data key wrapped where this target puts it, bound to the object's salt. */
    KeyEnvelope wrap(ObjectHeader h, DataKey dataKey) {
        String to = wrapKeyFor(h);
        byte[] salt = h.salt();
        if (ServiceMasterKeys.ALGORITHMS.contains(to) && !newestOfRing(to).isEmpty()) {
            // The version satisfiedBy() compared with, named: a ring name would let the wrap rotate
            // the ring when it is due, in a dry run too, and wrap to a version the run did not report.
            to = newestOfRing(to);
        }
        if (ServiceMasterKeys.ALGORITHMS.contains(to) || RING_VERSION.matcher(to).matches()) {
            return keys.serviceMasterKeys().wrapDataKey(to, dataKey, salt);
        }
        return keys.keyManager().wrapDataKey(cmk(to).keyId(), dataKey, salt);
    }

    /** The newest version on disk; looking never creates or rotates a version (a dry run changes nothing). */
    private String newestOfRing(String alg) {
        return newestRing.computeIfAbsent(alg, a -> keys.serviceMasterKeys().versions(a).stream()
                .reduce((x, y) -> y).map(ServiceMasterKeys.VersionInfo::keyId).orElse(""));
    }

    private KeyMetadata cmk(String ref) {
        return cmks.computeIfAbsent(ref, r -> {
            if (KeyManager.DEFAULT_ALIAS.equals(r)) {
                // The filter creates the default CMK on its first KMS upload; so does a rewrap to it.
                byte[] salt = ObjectHeader.newSalt(new java.security.SecureRandom());
                keys.keyManager().generateDataKey(null, salt).dataKey().destroy();
            }
            return keys.keyManager().describeKey(r);
        });
    }

    private static String ringOf(ContentAlgorithm a) {
        return a == ContentAlgorithm.SM4_GCM ? "SM4" : "AES256";
    }
}
