package io.servletsse.kms;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.OssErrors;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one factory the filter calls: the root key, the SSE-OSS service master keys, the KMS (built-in or
 * PKCS#11, or "not enabled"), and routing of an object's envelope to the source that wrapped it.
 *
 * <p>Files under the data directory (all 0600 in 0700 directories):
 * <pre>
 * root.key                        only if generated (see RootKey): base64 of 32 bytes
 * sse-oss/AES256/v1.key ...       service master key versions, sealed under the root key
 * sse-oss/SM4/v1.key ...
 * kms/keys.json, kms/keys.lock    built-in KMS: CMK metadata and aliases (not secret), its lock
 * kms/material/&lt;keyId&gt;/v1.key    built-in KMS: CMK material versions, sealed under the root key
 * pkcs11/keys.json, pkcs11/keys.lock  PKCS#11: CMK metadata (the material is in the token)
 * </pre>
 */
public final class KeyServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyServices.class);

    private final RootKey rootKey;
    private final ServiceMasterKeys serviceMasterKeys;
    private final KeyManager keyManager;
    private final KeyAdmin keyAdmin;
    private final CmkKeyManager cmk;

    private KeyServices(RootKey rootKey, ServiceMasterKeys smk, CmkKeyManager cmk) {
        this.rootKey = rootKey;
        this.serviceMasterKeys = smk;
        this.cmk = cmk;
        this.keyManager = cmk != null ? cmk : KeyManager.disabled();
        this.keyAdmin = cmk != null ? cmk : DisabledKms.INSTANCE;
    }

    /**
     * Opens the key services: resolves (or generates) the root key, opens the service master keys and
     * the configured KMS backend. Nothing talks to an HSM yet: a PKCS#11 token is opened on first use, so
     * an unreachable HSM makes KMS calls answer 503 instead of stopping the application.
     *
     * @throws io.servletsse.error.SseException 500 if the root key is configured but missing or malformed,
     *                                          or the data directory cannot be created
     */
    public static KeyServices open(KeyServicesOptions o) {
        Objects.requireNonNull(o, "options");
        Path dir = o.dataDirectory();
        try {
            AtomicFiles.ensurePrivateDirectory(dir);
        } catch (IOException e) {
            throw OssErrors.internal("cannot create the key data directory " + dir, e);
        }
        RootKey root = RootKey.resolve(o.rootKeyFile(), o.rootKeyEnvironmentVariable(), o.environment(), dir, o.random());
        ServiceMasterKeys smk = ServiceMasterKeys.open(dir.resolve("sse-oss"), root, o.serviceKeyRotationPeriod(),
                o.clock(), o.random());
        CmkKeyManager cmk = null;
        if (o.kmsEnabled()) {
            MaterialBackend backend;
            Path metadata;
            if (o.backend() == KeyServicesOptions.Backend.PKCS11) {
                backend = new Pkcs11MaterialBackend(o.pkcs11(), o.random());
                metadata = dir.resolve("pkcs11");
            } else {
                metadata = dir.resolve("kms");
                backend = new LocalMaterialBackend(metadata, root, o.random(), o.clock());
            }
            cmk = new CmkKeyManager(backend, new KeyRegistry(metadata), o.cache(), o.clock(), o.random());
        }
        LOG.info("Key services open: {}", o);
        return new KeyServices(root, smk, cmk);
    }

    /** Whether KMS (the built-in or the PKCS#11 backend) is enabled. */
    public boolean kmsEnabled() {
        return cmk != null;
    }

    /** SSE-OSS (AES256/SM4) master keys, provider {@code sse-oss}. */
    public ServiceMasterKeys serviceMasterKeys() {
        return serviceMasterKeys;
    }

    /** SSE-KMS data keys; {@link KeyManager#disabled()} when KMS is not enabled. */
    public KeyManager keyManager() {
        return keyManager;
    }

    /** CMK administration; every call is 403 KmsServiceNotEnabled when KMS is not enabled. */
    public KeyAdmin keyAdmin() {
        return keyAdmin;
    }

    /**
     * The source that can unwrap envelopes of {@code provider}: {@code sse-oss} → service master keys;
     * {@code kms}/{@code pkcs11} → the key manager if it is that backend. An object written under a
     * provider that is not configured now cannot be read (500 InternalError, fail closed), and any KMS
     * provider while KMS is off is 403 KmsServiceNotEnabled.
     */
    public DataKeySource sourceFor(String provider) {
        Objects.requireNonNull(provider, "provider");
        if (ServiceMasterKeys.PROVIDER.equals(provider)) {
            return serviceMasterKeys;
        }
        boolean kmsProvider = LocalMaterialBackend.PROVIDER.equals(provider) || Pkcs11MaterialBackend.PROVIDER.equals(provider);
        if (kmsProvider && cmk == null) {
            throw OssErrors.kmsServiceNotEnabled();
        }
        if (cmk != null && cmk.provider().equals(provider)) {
            return cmk;
        }
        throw OssErrors.internal("The object's data key was wrapped by key provider '" + provider
                + "', which is not configured here.", null);
    }

    /** Unwraps an object's data key with whichever source wrapped it. */
    public DataKey decryptDataKey(KeyEnvelope envelope, byte[] context) {
        return sourceFor(envelope.provider()).decryptDataKey(envelope, context);
    }

    /** Wipes keys held in memory. */
    @Override
    public void close() {
        if (cmk != null) {
            cmk.close();
        }
        serviceMasterKeys.close();
        rootKey.close();
    }
}
