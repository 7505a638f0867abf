package io.servletsse.engine;

import io.servletsse.crypto.DataKey;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.kms.GeneratedDataKey;
import io.servletsse.policy.BucketRules;
import io.servletsse.policy.EncryptionRule;
import io.servletsse.policy.PathMapper;
import io.servletsse.policy.SseConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything one filter instance needs, servlet-free: configuration, bucket rules, key sources.
 * Shared by the servlet filter and the Java agent (both drive the same per-request exchange).
 */
public final class SseRuntime {
    private final SseConfig config;
    private final PathMapper paths;
    private final BucketRules rules;
    private final KeySources keys;
    private final SecureRandom random;
    private final Clock clock;

    public SseRuntime(SseConfig config, BucketRules rules, KeySources keys, SecureRandom random, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.paths = new PathMapper(config.pathPrefix());
        this.rules = Objects.requireNonNull(rules, "rules");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
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

    /** A new object's header and data key under {@code rule} (not None). The caller destroys the key. */
    public Upload planUpload(EncryptionRule rule) {
        byte[] salt = ObjectHeader.newSalt(random);
        GeneratedDataKey g = keys.generate(rule, salt);
        try {
            ObjectHeader header = ObjectHeader.create(SseInfo.contentAlgorithm(rule), config.segmentSize(), salt, g.envelope());
            return new Upload(header, g.dataKey(), SseInfo.of(header));
        } catch (RuntimeException e) {
            g.dataKey().destroy();
            throw e;
        }
    }

    /**
     * Unwraps a stored object's data key and authenticates its header. The caller destroys
     * {@link Download#dataKey()} when the response is done.
     */
    public Download openDownload(ObjectHeader header) {
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

    /** An opened stored object; {@link #close()} wipes its keys. */
    public record Download(ObjectCrypto.Decryptor decryptor, DataKey dataKey, SseInfo info) implements AutoCloseable {
        @Override
        public void close() {
            decryptor.close();
            dataKey.destroy();
        }
    }
}
