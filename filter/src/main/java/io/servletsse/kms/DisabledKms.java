package io.servletsse.kms;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.OssErrors;
import io.servletsse.format.KeyEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** KMS not activated (OSS: 403 KmsServiceNotEnabled, "This user does not turn on KMS service."). */
enum DisabledKms implements KeyManager, KeyAdmin {
    INSTANCE;

    @Override
    public String provider() {
        return "kms";
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context, String partition, long expectedBytes) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public DataKey decryptDataKey(KeyEnvelope envelope, byte[] context) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public KeyEnvelope wrapDataKey(String keyIdOrAlias, DataKey dataKey, byte[] context) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public KeyMetadata describeKey(String keyIdOrAlias) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public List<KeyMetadata> listKeys() {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public List<AliasInfo> listAliases() {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public KeyManagerStats stats() {
        return new KeyManagerStats(0, 0, 0, 0);
    }

    @Override
    public KeyMetadata createKey(String description) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public KeyMetadata createExternalKey(String description) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void createAlias(String aliasName, String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void updateAlias(String aliasName, String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void deleteAlias(String aliasName) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void enableKey(String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void disableKey(String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void cancelKeyDeletion(String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public KeyMetadata rotateKeyMaterial(String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void setRotationInterval(String keyId, Duration interval) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public ImportParameters getParametersForImport(String keyId) {
        throw OssErrors.kmsServiceNotEnabled();
    }

    @Override
    public void importKeyMaterial(String keyId, String importToken, byte[] encryptedKeyMaterial) {
        throw OssErrors.kmsServiceNotEnabled();
    }
}
