package io.servletsse.policy;

import java.util.Optional;

/**
 * Bucket encryption rules set over the API ({@code PUT|DELETE /{bucket}?encryption}). They win over
 * the configuration file. A deleted rule is remembered as such (so the file's rule does not come back).
 */
public interface RuleStore {
    /**
     * The stored state of {@code bucket}: empty if the API never touched it; a present
     * {@link StoredRule} whose rule is empty if the API deleted it.
     */
    Optional<StoredRule> get(String bucket);

    void put(String bucket, EncryptionRule rule);

    void delete(String bucket);

    /** Puts {@code bucket} back in a state {@link #get} returned: undoes a change whose request then failed. */
    void restore(String bucket, Optional<StoredRule> state);

    /** A rule the API set, or the record that the API deleted one. */
    record StoredRule(Optional<EncryptionRule> rule) {
        public static StoredRule deleted() {
            return new StoredRule(Optional.empty());
        }

        public static StoredRule of(EncryptionRule rule) {
            return new StoredRule(Optional.of(rule));
        }
    }
}
