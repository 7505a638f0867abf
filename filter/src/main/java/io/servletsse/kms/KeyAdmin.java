package io.servletsse.kms;

import java.time.Duration;
import java.time.Instant;

/**
 * CMK administration (the console and the operator CLI; never the data path). Semantics follow
 * Alibaba Cloud KMS: CreateKey, CreateAlias/DeleteAlias, EnableKey/DisableKey, ScheduleKeyDeletion
 * (7..30 days)/CancelKeyDeletion, key rotation, GetParametersForImport/ImportKeyMaterial (BYOK).
 * A state that does not allow the operation answers 409 Rejected.StateModifiedFailed.
 */
public interface KeyAdmin {
    /** Shortest and longest deletion windows KMS accepts (ScheduleKeyDeletion PendingWindowInDays). */
    int MIN_PENDING_WINDOW_DAYS = 7;
    int MAX_PENDING_WINDOW_DAYS = 30;

    /** CreateKey: an Enabled key with material generated here. */
    KeyMetadata createKey(String description);

    /** CreateKey with Origin=EXTERNAL: a PendingImport key; import its material to enable it. */
    KeyMetadata createExternalKey(String description);

    /** CreateAlias. Names are {@code alias/} + 1..250 of {@code [A-Za-z0-9_/:-]}; {@code alias/acs/} is reserved. */
    void createAlias(String aliasName, String keyId);

    /** UpdateAlias: points an existing alias at another key. */
    void updateAlias(String aliasName, String keyId);

    void deleteAlias(String aliasName);

    void enableKey(String keyId);

    void disableKey(String keyId);

    /**
     * ScheduleKeyDeletion: the key is refused at once and destroyed (material and metadata) once the
     * clock passes the returned date; every object under it then becomes unreadable (crypto-shredding).
     */
    Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays);

    /** CancelKeyDeletion: back to Disabled, as KMS does. */
    void cancelKeyDeletion(String keyId);

    /** Makes a new material version the primary; older versions keep decrypting. Not for EXTERNAL keys. */
    KeyMetadata rotateKeyMaterial(String keyId);

    /** Automatic rotation period (7..365 days as KMS), or {@code null} to turn it off. */
    void setRotationInterval(String keyId, Duration interval);

    /** GetParametersForImport (RSAES_OAEP_SHA_256, RSA_2048). The token lives in memory until it expires. */
    ImportParameters getParametersForImport(String keyId);

    /** ImportKeyMaterial: the 32-byte key wrapped with RSA-OAEP-SHA256 under the import public key. */
    void importKeyMaterial(String keyId, String importToken, byte[] encryptedKeyMaterial);
}
