package io.servletsse.kms;

import io.servletsse.crypto.DataKey;
import io.servletsse.format.KeyEnvelope;
import java.util.List;

/**
 * SSE-KMS: data keys under customer master keys (CMKs). Implementations: the built-in KMS
 * (provider {@code kms}) and the PKCS#11 HSM (provider {@code pkcs11}); {@link #disabled()} stands for
 * "KMS not activated". Administration is on {@link KeyAdmin}, so the request path only holds this.
 *
 * <p>Key ids: a CMK id is a lowercase UUID; an alias is {@code alias/<name>}. {@code null} means the
 * default CMK {@value #DEFAULT_ALIAS}, created on first use. The envelope records the real CMK id (what
 * the filter returns in {@code x-oss-server-side-encryption-key-id}), never the alias, so re-pointing
 * an alias never strands an object.
 *
 * <p>Errors (OSS-WIRE.md 1.2): malformed id → 400 InvalidParameter; unknown id → 404 KeyNotFound;
 * unknown alias → 404 AliasNotFound; KMS off → 403 KmsServiceNotEnabled; key not Enabled → 409
 * Rejected.Disabled / Rejected.PendingDeletion / Rejected.PendingImport (see {@code KmsErrors}); backend
 * unreachable → 503 ServiceUnavailable; an envelope that does not unwrap → 500 InternalError. Key state
 * is checked on every call, before any cache: a cache never serves a key that is not Enabled.
 *
 * <p>Callers' permissions ({@code kms:GenerateDataKey}, {@code kms:Decrypt}) are checked by the filter
 * before it calls here.
 */
public interface KeyManager extends DataKeySource {
    /** The OSS default CMK alias. */
    String DEFAULT_ALIAS = "alias/acs/oss";

    /** Same as {@link #generateDataKey(String, byte[], String, long)} with partition "" and unknown size. */
    @Override
    GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context);

    /**
     * A new data key under the CMK.
     *
     * @param keyIdOrAlias  CMK id, alias, or {@code null} for the default CMK
     * @param context       the object's header salt (16..256 bytes): the key is bound to it
     * @param partition     the cache partition, normally the bucket name: cached bucket keys are never
     *                      shared across partitions (ESDK caching CMM rule)
     * @param expectedBytes the object's plaintext size if known, else -1 (an unknown size is never served
     *                      from the data-key cache, as in the ESDK caching CMM)
     */
    GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context, String partition, long expectedBytes);

    @Override
    DataKey decryptDataKey(KeyEnvelope envelope, byte[] context);

    /**
     * Wraps an existing data key (re-wrap: the object's segments stay as they are) directly under the
     * primary material version of CMK {@code keyIdOrAlias} ({@code null}: the default CMK), bound to
     * {@code context} (the object's header salt). Used by the operator CLI, never by the data path.
     * Same errors as {@link #generateDataKey(String, byte[])}.
     */
    default KeyEnvelope wrapDataKey(String keyIdOrAlias, DataKey dataKey, byte[] context) {
        throw new UnsupportedOperationException(provider() + " cannot re-wrap data keys");
    }

    /**
     * The CMK material version an envelope of the built-in KMS or PKCS#11 was wrapped under (both wrap
     * forms start {@code u8 form | u32 version}), or -1 if the envelope is not of that shape. Not secret.
     */
    static int materialVersionOf(KeyEnvelope envelope) {
        byte[] w = envelope.wrapped();
        if (w.length < 5 || (w[0] != 1 && w[0] != 2)) {
            return -1;
        }
        long v = (w[1] & 0xffL) << 24 | (w[2] & 0xffL) << 16 | (w[3] & 0xffL) << 8 | (w[4] & 0xffL);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** DescribeKey, by id or alias. */
    KeyMetadata describeKey(String keyIdOrAlias);

    /** ListKeys: every CMK not yet destroyed, by creation date. */
    List<KeyMetadata> listKeys();

    /** ListAliases, by name. */
    List<AliasInfo> listAliases();

    /** Backend-call and cache counters. */
    KeyManagerStats stats();

    /** The key manager of a deployment where KMS is not enabled: every call is 403 KmsServiceNotEnabled. */
    static KeyManager disabled() {
        return DisabledKms.INSTANCE;
    }
}
