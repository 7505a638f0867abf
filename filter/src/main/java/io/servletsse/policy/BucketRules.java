package io.servletsse.policy;

import java.util.Optional;

/**
 * Which rule applies to a bucket: the rule set over the API (rule store) wins, then the
 * configuration file's bucket rule, then the configuration's default.
 */
public final class BucketRules {
    private final SseConfig config;
    private final RuleStore store;

    public BucketRules(SseConfig config, RuleStore store) {
        this.config = config;
        this.store = store;
    }

    /** The default encryption of uploads to {@code bucket} that carry no SSE header of their own. */
    public EncryptionRule effective(String bucket) {
        return configured(bucket).orElse(EncryptionRule.none());
    }

    /**
     * The bucket's configured rule as GetBucketEncryption reports it; empty when there is none
     * (OSS: 404 NoSuchServerSideEncryptionRule).
     */
    public Optional<EncryptionRule> configured(String bucket) {
        Optional<RuleStore.StoredRule> stored = store.get(bucket);
        if (stored.isPresent()) {
            return stored.get().rule();
        }
        EncryptionRule r = config.bucketRules().getOrDefault(bucket, config.defaultRule());
        return r.isNone() ? Optional.empty() : Optional.of(r);
    }

    public void put(String bucket, EncryptionRule rule) {
        store.put(bucket, rule);
    }

    public void delete(String bucket) {
        store.delete(bucket);
    }

    /** What the rule store holds for {@code bucket}, to {@link #restore} it if a later step fails. */
    public Optional<RuleStore.StoredRule> stored(String bucket) {
        return store.get(bucket);
    }

    public void restore(String bucket, Optional<RuleStore.StoredRule> state) {
        store.restore(bucket, state);
    }
}
