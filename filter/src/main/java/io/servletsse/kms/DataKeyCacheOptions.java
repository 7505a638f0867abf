package io.servletsse.kms;

import java.time.Duration;
import java.util.Objects;

/**
 * Data-key caching of a key manager (fewer KMS/HSM calls), on by default.
 *
 * <p><b>Encrypt side ("bucket keys")</b>, in the spirit of S3 Bucket Keys and the AWS Encryption
 * SDK caching CMM: one backend call makes a random 32-byte bucket key for a (partition, CMK, material
 * version), wrapped under the CMK; each object's data key is then derived locally,
 * {@code HKDF-SHA256(bucketKey, salt = the object's header salt)}, so every object still gets its own
 * data key, and the envelope carries the wrapped bucket key plus how the key was derived. An entry
 * serves at most {@code maxUses} objects and {@code maxBytes} plaintext bytes during {@code maxAge};
 * objects of unknown size are never served from it (ESDK rule). Partitions (the bucket) are never mixed.
 *
 * <p><b>Decrypt side</b>: unwrapped keys (bucket keys and direct data keys) are kept for
 * {@code decryptTtl}, at most {@code decryptMaxEntries} of them (least recently used evicted), and
 * zeroised when evicted or expired.
 *
 * <p>Neither cache ever bypasses key state: a key that is not Enabled is refused before any lookup.
 *
 * @param enabled           false: every generate and decrypt is a backend call
 * @param maxAge            how long one bucket key serves new objects (default 5 minutes)
 * @param maxUses           objects per bucket key (default 2^20), 1..2^32
 * @param maxBytes          plaintext bytes per bucket key (default 2^40)
 * @param decryptTtl        how long an unwrapped key stays cached (default 5 minutes)
 * @param decryptMaxEntries bound on cached unwrapped keys (default 10,000); 0 turns the decrypt cache off
 */
public record DataKeyCacheOptions(boolean enabled, Duration maxAge, long maxUses, long maxBytes, Duration decryptTtl,
        int decryptMaxEntries) {
    public static final DataKeyCacheOptions DEFAULTS =
            new DataKeyCacheOptions(true, Duration.ofMinutes(5), 1L << 20, 1L << 40, Duration.ofMinutes(5), 10_000);
    public static final DataKeyCacheOptions OFF =
            new DataKeyCacheOptions(false, Duration.ofMinutes(5), 1L << 20, 1L << 40, Duration.ofMinutes(5), 10_000);

    public DataKeyCacheOptions {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(decryptTtl, "decryptTtl");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (decryptTtl.isNegative() || decryptTtl.isZero()) {
            throw new IllegalArgumentException("decryptTtl must be positive: " + decryptTtl);
        }
        if (maxUses < 1 || maxUses > (1L << 32)) {
            throw new IllegalArgumentException("maxUses must be 1..2^32: " + maxUses);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes cannot be negative: " + maxBytes);
        }
        if (decryptMaxEntries < 0 || decryptMaxEntries > 1_000_000) {
            throw new IllegalArgumentException("decryptMaxEntries must be 0..1000000: " + decryptMaxEntries);
        }
    }
}
