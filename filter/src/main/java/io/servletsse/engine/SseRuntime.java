package io.servletsse.engine;

import io.servletsse.audit.AsyncAuditSink;
import io.servletsse.audit.AuditFileSink;
import io.servletsse.audit.AuditLog;
import io.servletsse.audit.AuditSink;
import io.servletsse.auth.AccessControl;
import io.servletsse.auth.Authenticator;
import io.servletsse.auth.Authorizer;
import io.servletsse.crypto.DataKey;
import io.servletsse.error.SseException;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.SegmentDigests;
import io.servletsse.kms.GeneratedDataKey;
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.ReuseGrant;
import io.servletsse.policy.BucketRules;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.FileRuleStore;
import io.servletsse.policy.PathMapper;
import io.servletsse.policy.SseConfig;
import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one filter instance needs, servlet-free: configuration, bucket rules, key sources,
 * access control and the audit log. Shared by the servlet filter and the Java agent (both drive
 * the same per-request exchange).
 */
public final class SseRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SseRuntime.class);
    private final SseConfig config;
    private final PathMapper paths;
    private final BucketRules rules;
    private final KeySources keys;
    private final SecureRandom random;
    private final Clock clock;
    private final AuditLog audit;
    private final Access access;
    private final AutoCloseable resources;
    private final DownloadCache downloads;
    /** Hands digest work to the workers, started by the first upload of more than one segment. */
    private final Executor digestExecutor = task -> digestWorkers().execute(task);
    private DigestWorkers digestWorkers; // guarded by this
    private boolean closed;              // guarded by this

    /**
     * Identities and permissions, when the configuration has an {@code access} section. Without
     * one, servlet-sse checks no permission (the host app's own security applies).
     */
    public record Access(AccessControl control, Authenticator authenticator, Authorizer authorizer) {}

    private SseRuntime(SseConfig config, BucketRules rules, KeySources keys, SecureRandom random, Clock clock,
            AuditLog audit, Access access, AutoCloseable resources, DownloadCache downloads) {
        this.config = Objects.requireNonNull(config, "config");
        this.paths = new PathMapper(config.pathPrefix());
        this.rules = Objects.requireNonNull(rules, "rules");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.access = access;
        this.resources = resources;
        this.downloads = Objects.requireNonNull(downloads, "downloads");
    }

    /**
     * Opens everything a configuration describes, with the embedded defaults: the root key and the
     * service master keys under the data directory, the file rule store. Fails (ConfigException or
     * SseException) rather than start without keys, rules or a valid access section.
     */
    public static SseRuntime open(SseConfig config, Clock clock) {
        AsyncAuditSink auditSink = new AsyncAuditSink(auditTarget(config, clock), AsyncAuditSink.DEFAULT_CAPACITY);
        try {
            return open(config, clock, auditSink);
        } catch (RuntimeException e) {
            auditSink.close(); // no runtime: its audit thread must not outlive the failure
            throw e;
        }
    }

    /** The SLF4J logger, or the audit file of {@code audit.file} (with the logger as its fallback). */
    private static AuditSink auditTarget(SseConfig config, Clock clock) {
        Path file = config.audit().fileUnder(config.dataDirectory());
        if (file == null) {
            return AuditSink.slf4j();
        }
        try {
            return AuditFileSink.open(file, config.audit().maxFileBytes(), clock, AuditSink.slf4j());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("servlet-sse: cannot open the audit file " + file + ": " + e.getMessage(), e);
        }
    }

    private static SseRuntime open(SseConfig config, Clock clock, AsyncAuditSink auditSink) {
        SecureRandom random = new SecureRandom();
        AuditLog audit = new AuditLog(clock, auditSink);
        AccessControl control = null;
        if (!config.access().isMissingNode() && !config.access().isNull()) {
            try {
                control = AccessControl.fromJson(config.access());
            } catch (RuntimeException e) {
                throw new ConfigException("servlet-sse configuration: " + e.getMessage(), e);
            }
        } else if (config.admin().enabled()) {
            // At start-up, where an operator reads the log: not on the first request under the admin path.
            LOG.warn("servlet-sse: the admin {} at {} is enabled without an access section: anyone who can reach it "
                    + "may manage keys and bucket encryption. Add an access section, or protect the path in front.",
                    config.admin().console() ? "console and API" : "API", config.admin().path());
        }
        Path dir = config.dataDirectory();
        try {
            AtomicFiles.ensurePrivateDirectory(dir);
        } catch (IOException e) {
            throw new ConfigException("servlet-sse: cannot create the data directory " + dir + ": " + e.getMessage(), e);
        }
        FileRuleStore store = new FileRuleStore(dir.resolve("bucket-rules.json"));
        DownloadCache downloads = KeysSection.downloadCache(config, clock);
        KeyServices services = KeyServices.open(KeysSection.options(config, clock, System.getenv()));
        Access access = control == null ? null : new Access(control, new Authenticator(control, clock, audit),
                new Authorizer(control, audit, aliasResolver(services)));
        // Keys first, then the audit queue: the lines of requests that just finished are all written.
        AutoCloseable resources = () -> {
            try {
                downloads.close();
                services.close();
            } finally {
                auditSink.close();
            }
        };
        return new SseRuntime(config, new BucketRules(config, store), new KeySources(services), random, clock, audit,
                access, resources, downloads);
    }

    /** The alias lookups of the Authorizer: the key manager's own, where AliasNotFound means "none". */
    private static Authorizer.AliasResolver aliasResolver(KeyServices services) {
        return alias -> {
            try {
                return Optional.of(services.keyManager().describeKey(alias).keyId());
            } catch (SseException e) {
                if ("AliasNotFound".equals(e.ossCode()) || "KmsServiceNotEnabled".equals(e.ossCode())) {
                    return Optional.empty();
                }
                throw e;
            }
        };
    }

    @Override
    public void close() {
        DigestWorkers workers;
        synchronized (this) {
            closed = true;
            workers = digestWorkers;
        }
        try {
            if (workers != null) {
                workers.close(); // returns once its threads have ended
            }
        } finally {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("servlet-sse: closing key material failed", e);
            }
        }
    }

    /**
     * Where uploads digest their plaintext off the request thread (CRC-64, Content-MD5): bounded
     * ({@code uploads.digestThreads}), shared by this runtime's uploads, created on first use; work
     * it cannot take at once (all workers busy, none configured, or this runtime closed) runs on the
     * caller.
     */
    public Executor digestExecutor() {
        return digestExecutor;
    }

    /**
     * Segments per digest task for new uploads: {@link SegmentDigests#TASK_BYTES} of the configured
     * segment size for the workers; 1 with {@code uploads.digestThreads: 0}, where batching would
     * only hold more buffers.
     */
    public int digestBatch() {
        return config.digestThreads() == 0 ? 1 : SegmentDigests.batchFor(config.segmentSize());
    }

    private synchronized Executor digestWorkers() {
        int threads = config.digestThreads();
        if (closed || threads == 0) {
            return Runnable::run;
        }
        if (digestWorkers == null) {
            digestWorkers = threads == SseConfig.AUTO_DIGEST_THREADS ? DigestWorkers.forAvailableProcessors()
                    : new DigestWorkers(threads);
        }
        return digestWorkers;
    }

    public SseConfig config() {
        return config;
    }

    public PathMapper paths() {
        return paths;
    }

    public BucketRules rules() {
        return rules;
    }

    public KeySources keys() {
        return keys;
    }

    public Clock clock() {
        return clock;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Identities and permissions; empty when the configuration has no {@code access} section. */
    public Optional<Access> access() {
        return Optional.ofNullable(access);
    }

    /**
     * A new object's header and data key under {@code rule} (not None), for an upload to
     * {@code bucket} of {@code plaintextLength} bytes (-1 if unknown). The caller destroys the key.
     */
    public Upload planUpload(EncryptionRule rule, String bucket, long plaintextLength) {
        byte[] salt = ObjectHeader.newSalt(random);
        GeneratedDataKey g = keys.generate(rule, salt, bucket, plaintextLength);
        try {
            ObjectHeader header = ObjectHeader.create(SseInfo.contentAlgorithm(rule), config.segmentSize(), salt, g.envelope());
            return new Upload(header, g.dataKey(), SseInfo.of(header));
        } catch (RuntimeException e) {
            g.dataKey().destroy();
            throw e;
        }
    }

    /**
     * Unwraps a stored object's data key and authenticates its header. The caller closes the
     * result when the response is done.
     */
    public Download openDownload(ObjectHeader header) {
        return unwrapAndOpen(header);
    }

    /**
     * {@link #openDownload} for serving a download: an object whose byte-identical header was opened
     * within {@code keys.downloadCache.ttl} (for KMS also within {@code keys.kms.cache.decryptTtl}),
     * and whose key source still grants the same {@link io.servletsse.kms.ReuseGrant reuse} (a KMS
     * object's CMK is checked now, as an unwrap would), is served from the download cache without
     * unwrapping its key again ({@link Download#dataKey()} is then null). The caller has already
     * authorized the request; the cache changes no check.
     */
    public Download openForServing(ObjectHeader header) {
        byte[] identity = downloads.enabled() ? header.storedIdentity() : null;
        ReuseGrant grant = identity == null ? null : keys.reuse(header.keyEnvelope());
        if (grant == null) {
            return unwrapAndOpen(header);
        }
        DownloadCache.Hit hit = downloads.get(identity, grant);
        if (hit != null) {
            return new Download(hit.decryptor(), null, hit.info());
        }
        Download d = unwrapAndOpen(header);
        downloads.put(identity, d.decryptor(), d.info(), grant);
        return d;
    }

    /** Downloads served from the download cache so far (for tests and diagnostics). */
    public long downloadCacheHits() {
        return downloads.hits();
    }

    private Download unwrapAndOpen(ObjectHeader header) {
        DataKey key = keys.unwrap(header.keyEnvelope(), header.salt());
        try {
            return new Download(ObjectCrypto.openForDecryption(header, key), key, SseInfo.of(header));
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    /** A planned upload: its header, its data key, what the response headers say. */
    public record Upload(ObjectHeader header, DataKey dataKey, SseInfo info) {}

    /** An opened stored object; {@link #close()} wipes its keys. {@code dataKey} is null when served from the download cache. */
    public record Download(ObjectCrypto.Decryptor decryptor, DataKey dataKey, SseInfo info) implements AutoCloseable {
        @Override
        public void close() {
            decryptor.close();
            if (dataKey != null) {
                dataKey.destroy();
            }
        }
    }
}
