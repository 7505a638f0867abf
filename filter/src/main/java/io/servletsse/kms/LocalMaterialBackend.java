package io.servletsse.kms;

import io.servletsse.crypto.Hkdf;
import io.servletsse.error.OssErrors;
import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in KMS's key material: {@code <dir>/material/<keyId>/v<N>.key}, each a
 * {@link SealedKeyFile} (32 bytes sealed under the root key, 0600, written once).
 *
 * <p>Wrap ({@value #WRAP}): {@code KEK = HKDF-SHA256(ikm = material, salt = context, info =
 * "servlet-sse kms wrap v1" || 0 || keyId || 0 || version)}, then AES-256-GCM with a zero nonce (the
 * KEK is unique per context, which is a fresh random salt per object or per bucket key:
 * FORMAT-RESEARCH.md 4.7), so a material version never meets the 2^32 random-nonce bound.
 */
final class LocalMaterialBackend implements MaterialBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMaterialBackend.class);
    static final String PROVIDER = "kms";
    static final String WRAP = "kms/hkdf-sha256/aes-256-gcm/v1";
    private static final String KIND = "kms-cmk";

    private final Path dir;
    private final RootKey root;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, MasterKeyVersion> loaded = new ConcurrentHashMap<>();

    LocalMaterialBackend(Path dir, RootKey root, SecureRandom random, Clock clock) {
        this.dir = dir.resolve("material");
        this.root = root;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String wrapAlgorithm() {
        return WRAP;
    }

    @Override
    public void createMaterial(String keyId, int version) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            store(keyId, version, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public void importMaterial(String keyId, int version, byte[] material) {
        store(keyId, version, material);
    }

    private void store(String keyId, int version, byte[] key) {
        try {
            // One level at a time: AtomicFiles makes only the last directory of a chain owner-only.
            AtomicFiles.ensurePrivateDirectory(dir);
            AtomicFiles.ensurePrivateDirectory(dir.resolve(keyId));
            if (!SealedKeyFile.create(file(keyId, version), root, KIND, keyId, version, clock.instant(), key, random)) {
                // Only the registry lock holder creates versions, so an existing file is a leftover of a
                // crash between writing material and metadata: keep it (never overwrite key material).
                LOG.warn("Key material {} v{} already existed; keeping it", keyId, version);
            }
        } catch (IOException e) {
            LOG.error("Cannot write key material {} v{}", keyId, version, e);
            throw OssErrors.keyServiceUnavailable("The key store is unavailable.", null);
        }
    }

    @Override
    public byte[] seal(String keyId, int version, byte[] plaintext, byte[] context, byte[] aad) {
        byte[] kek = kek(keyId, version, context);
        try {
            return WrapCipher.AES_256_GCM.seal(kek, new byte[WrapCipher.NONCE_LENGTH], plaintext, aad);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    @Override
    public byte[] open(String keyId, int version, byte[] ciphertext, byte[] context, byte[] aad) {
        byte[] kek = kek(keyId, version, context);
        try {
            return WrapCipher.AES_256_GCM.open(kek, new byte[WrapCipher.NONCE_LENGTH], ciphertext, aad);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private byte[] kek(String keyId, int version, byte[] context) {
        byte[] info = ("servlet-sse kms wrap v1\0" + keyId + "\0" + version).getBytes(StandardCharsets.UTF_8);
        MasterKeyVersion m = material(keyId, version);
        byte[] kek = Hkdf.derive(context, m.key(), info, 32);
        if (m.isDestroyed()) { // wiped while we derived (key destroyed, or shutdown): never use the result
            Arrays.fill(kek, (byte) 0);
            throw OssErrors.keyServiceUnavailable("The key store is unavailable.", null);
        }
        return kek;
    }

    private MasterKeyVersion material(String keyId, int version) {
        String k = keyId + "@" + version;
        MasterKeyVersion cached = loaded.get(k);
        if (cached != null) {
            return cached;
        }
        byte[] m;
        try {
            m = SealedKeyFile.read(file(keyId, version), root, KIND, keyId, version);
        } catch (IOException e) {
            LOG.error("Cannot read key material {} v{}", keyId, version, e);
            throw OssErrors.keyServiceUnavailable("The key store is unavailable.", null);
        }
        if (m == null || m.length != 32) {
            LOG.error("Key material {} v{} is missing", keyId, version);
            throw OssErrors.internal("The key store could not open a key.", null);
        }
        MasterKeyVersion fresh = new MasterKeyVersion(version, clock.instant(), m);
        MasterKeyVersion prev = loaded.putIfAbsent(k, fresh);
        if (prev != null) {
            fresh.destroy();
            return prev;
        }
        return fresh;
    }

    @Override
    public void destroyMaterial(String keyId) {
        loaded.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(keyId + "@")) {
                e.getValue().destroy();
                return true;
            }
            return false;
        });
        Path d = dir.resolve(keyId);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.error("Cannot delete key material of {}", keyId, e);
            throw OssErrors.keyServiceUnavailable("The key store is unavailable.", null);
        }
    }

    private Path file(String keyId, int version) {
        return dir.resolve(KeyIds.requireKeyId(keyId)).resolve("v" + version + ".key");
    }

    @Override
    public void close() {
        loaded.values().forEach(MasterKeyVersion::destroy);
        loaded.clear();
    }
}
