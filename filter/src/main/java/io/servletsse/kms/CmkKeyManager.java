package io.servletsse.kms;

import io.servletsse.crypto.Hkdf;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SecretAccess;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.kms.KeyRegistry.KeyRecord;
import io.servletsse.kms.KeyRegistry.MaterialVersion;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key manager of the built-in KMS and of the PKCS#11 backend: CMK metadata and state
 * ({@link KeyRegistry}), key material in a {@link MaterialBackend}, data-key caching.
 *
 * <h2>Envelopes</h2> {@code provider} = the backend's ({@code kms}/{@code pkcs11}); {@code keyId} = the
 * CMK id (UUID). Two wrap forms, told apart by {@code wrapAlgorithm}:
 * <ul>
 *   <li><b>direct</b> (backend's tag, e.g. {@code kms/hkdf-sha256/aes-256-gcm/v1},
 *       {@code pkcs11/aes-256-gcm/v1}): {@code u8 1 | u32 materialVersion | backend.seal(DEK,
 *       context = object salt, aad)}. One backend call per object.</li>
 *   <li><b>bucket key</b> ({@code <provider>/bucket-key/hkdf-sha256/v1}): {@code u8 2 | u32
 *       materialVersion | bucketSalt(32) | commit(16) | u16 n | backend.seal(bucketKey, context =
 *       bucketSalt, aad)(n)}; the object's DEK and the commit tag are {@code HKDF-SHA256(ikm = bucketKey,
 *       salt = object salt, info = "servlet-sse bucket-key dek v1" || 0 || keyId, 48)} (first 32 bytes:
 *       DEK; last 16: commit). The commit tag makes an envelope moved into another object's header fail
 *       here (500) rather than yield a wrong key.</li>
 * </ul>
 * {@code aad = provider || 0 || keyId || 0 || wrapAlgorithm || 0 || materialVersion}.
 *
 * <h2>Unavailable backend</h2> A backend call that cannot reach the key (HSM token removed, library
 * gone, key files unreadable) is 503 ServiceUnavailable. Generate needs the backend on every cache miss;
 * a cached bucket key keeps serving new objects until its limits, and a cached unwrapped key keeps
 * serving decrypts until its TTL (availability during a short outage, as S3 Bucket Keys and the ESDK
 * cache do). Key state never lives in the backend, so disabling a key still takes effect at once.
 */
final class CmkKeyManager implements KeyManager, KeyAdmin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CmkKeyManager.class);
    static final String DEFAULT_KEY_DESCRIPTION =
            "Default master key that protects my OSS objects when no other key is defined.";
    static final int MAX_DESCRIPTION = 8192;
    static final int MAX_PARTITION = 1024;
    /** KMS: an import token and its public key are valid for 24 hours. */
    static final Duration IMPORT_TOKEN_LIFETIME = Duration.ofHours(24);
    static final int MAX_OPEN_IMPORTS = 1000;
    private static final byte FORM_DIRECT = 1;
    private static final byte FORM_BUCKET = 2;
    private static final int BUCKET_SALT = 32;
    private static final int COMMIT = 16;

    private final MaterialBackend backend;
    private final KeyRegistry registry;
    private final DataKeyCacheOptions cacheOptions;
    private final Clock clock;
    private final SecureRandom random;
    private final String bucketWrap;
    private final BucketKeyCache bucketKeys;
    private final UnwrappedKeyCache unwrapped;
    private final ImportTokens imports;
    private final AtomicLong generateCalls = new AtomicLong();
    private final AtomicLong decryptCalls = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    CmkKeyManager(MaterialBackend backend, KeyRegistry registry, DataKeyCacheOptions cacheOptions, Clock clock,
            SecureRandom random) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cacheOptions = Objects.requireNonNull(cacheOptions, "cacheOptions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.bucketWrap = backend.provider() + "/bucket-key/hkdf-sha256/v1";
        this.bucketKeys = new BucketKeyCache(clock, cacheOptions);
        this.unwrapped = new UnwrappedKeyCache(clock, cacheOptions.decryptTtl(),
                cacheOptions.enabled() ? cacheOptions.decryptMaxEntries() : 0);
        this.imports = new ImportTokens(clock, random, MAX_OPEN_IMPORTS);
    }

    @Override
    public String provider() {
        return backend.provider();
    }

    // ---------------------------------------------------------------- data path

    @Override
    public GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context) {
        return generateDataKey(keyIdOrAlias, context, "", -1);
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyIdOrAlias, byte[] context, String partition, long expectedBytes) {
        ServiceMasterKeys.checkContext(context);
        Objects.requireNonNull(partition, "partition");
        if (partition.length() > MAX_PARTITION) {
            throw new IllegalArgumentException("partition longer than " + MAX_PARTITION);
        }
        KeyRecord k = resolve(keyIdOrAlias, true);
        requireEnabled(k);
        MaterialVersion v = rotateIfDue(k);
        if (cacheOptions.enabled() && expectedBytes >= 0 && expectedBytes <= cacheOptions.maxBytes()) {
            return generateFromBucketKey(k.keyId(), v.version(), context, partition, expectedBytes);
        }
        return generateDirect(k.keyId(), v.version(), context);
    }

    @Override
    public KeyEnvelope wrapDataKey(String keyIdOrAlias, DataKey dataKey, byte[] context) {
        ServiceMasterKeys.checkContext(context);
        Objects.requireNonNull(dataKey, "dataKey");
        KeyRecord k = resolve(keyIdOrAlias, true);
        requireEnabled(k);
        MaterialVersion v = rotateIfDue(k);
        String wrap = backend.wrapAlgorithm();
        byte[] sealed = backendSeal(k.keyId(), v.version(), dataKey.reveal(SecretAccess.grant()), context,
                aad(k.keyId(), wrap, v.version()));
        ByteBuffer b = ByteBuffer.allocate(5 + sealed.length).put(FORM_DIRECT).putInt(v.version()).put(sealed);
        return new KeyEnvelope(provider(), k.keyId(), wrap, b.array());
    }

    private GeneratedDataKey generateDirect(String keyId, int version, byte[] context) {
        DataKey dek = DataKey.generate(random);
        String wrap = backend.wrapAlgorithm();
        byte[] sealed = backendSeal(keyId, version, dek.reveal(SecretAccess.grant()), context, aad(keyId, wrap, version));
        ByteBuffer b = ByteBuffer.allocate(5 + sealed.length).put(FORM_DIRECT).putInt(version).put(sealed);
        return new GeneratedDataKey(dek, new KeyEnvelope(provider(), keyId, wrap, b.array()));
    }

    private GeneratedDataKey generateFromBucketKey(String keyId, int version, byte[] context, String partition,
            long size) {
        BucketKeyCache.Id id = new BucketKeyCache.Id(partition, keyId, version);
        return bucketKeys.use(id, size, () -> newBucketKey(keyId, version), e -> {
            byte[] okm = deriveFromBucketKey(e.key, context, keyId);
            try {
                DataKey dek = DataKey.copyOf(Arrays.copyOf(okm, DataKey.LENGTH));
                ByteBuffer b = ByteBuffer.allocate(1 + 4 + BUCKET_SALT + COMMIT + 2 + e.wrapped.length)
                        .put(FORM_BUCKET).putInt(version).put(e.salt)
                        .put(okm, DataKey.LENGTH, COMMIT).putShort((short) e.wrapped.length).put(e.wrapped);
                return new GeneratedDataKey(dek, new KeyEnvelope(provider(), keyId, bucketWrap, b.array()));
            } finally {
                Arrays.fill(okm, (byte) 0);
            }
        });
    }

    private BucketKeyCache.Entry newBucketKey(String keyId, int version) {
        byte[] key = new byte[32];
        byte[] salt = new byte[BUCKET_SALT];
        random.nextBytes(key);
        random.nextBytes(salt);
        byte[] wrapped = backendSeal(keyId, version, key, salt, aad(keyId, bucketWrap, version));
        // Reads right after writes need no backend call either.
        unwrapped.put(bucketDigest(keyId, version, salt, wrapped), keyId, key);
        return new BucketKeyCache.Entry(key, salt, wrapped, clock.instant());
    }

    private static byte[] deriveFromBucketKey(byte[] bucketKey, byte[] context, String keyId) {
        byte[] info = ("servlet-sse bucket-key dek v1\0" + keyId).getBytes(StandardCharsets.UTF_8);
        return Hkdf.derive(context, bucketKey, info, DataKey.LENGTH + COMMIT);
    }

    @Override
    public DataKey decryptDataKey(KeyEnvelope envelope, byte[] context) {
        Objects.requireNonNull(envelope, "envelope");
        ServiceMasterKeys.checkContext(context);
        KeyRecord k = decryptable(envelope);
        String wrap = envelope.wrapAlgorithm();
        try {
            ByteBuffer b = ByteBuffer.wrap(envelope.wrapped());
            byte form = b.get();
            int version = b.getInt();
            if (form == FORM_DIRECT && wrap.equals(backend.wrapAlgorithm())) {
                byte[] sealed = new byte[b.remaining()];
                b.get(sealed);
                String digest = digest("direct", k.keyId(), wrap, sealed, context);
                byte[] dek = cachedOrOpen(digest, k.keyId(), version, sealed, context, aad(k.keyId(), wrap, version));
                try {
                    return DataKey.copyOf(dek);
                } finally {
                    Arrays.fill(dek, (byte) 0);
                }
            }
            if (form == FORM_BUCKET && wrap.equals(bucketWrap)) {
                byte[] salt = new byte[BUCKET_SALT];
                b.get(salt);
                byte[] commit = new byte[COMMIT];
                b.get(commit);
                byte[] sealed = new byte[b.getShort() & 0xffff];
                b.get(sealed);
                if (b.hasRemaining()) {
                    throw cannotUnwrap(k.keyId());
                }
                byte[] bucketKey = cachedOrOpen(bucketDigest(k.keyId(), version, salt, sealed), k.keyId(), version,
                        sealed, salt, aad(k.keyId(), wrap, version));
                byte[] okm = deriveFromBucketKey(bucketKey, context, k.keyId());
                try {
                    if (!MessageDigest.isEqual(Arrays.copyOfRange(okm, DataKey.LENGTH, okm.length), commit)) {
                        throw cannotUnwrap(k.keyId()); // moved from another object, or tampered
                    }
                    return DataKey.copyOf(Arrays.copyOf(okm, DataKey.LENGTH));
                } finally {
                    Arrays.fill(okm, (byte) 0);
                    Arrays.fill(bucketKey, (byte) 0);
                }
            }
            throw cannotUnwrap(k.keyId());
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw cannotUnwrap(k.keyId());
        }
    }

    /**
     * The key record, as it stands, of an object's CMK: what {@link #decryptDataKey} checks before it
     * unwraps. A new record replaces it on every change to the CMK and on every re-read of metadata
     * another node changed, so the record itself is the {@link ReuseGrant} stamp.
     */
    @Override
    public ReuseGrant reuse(KeyEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (!cacheOptions.enabled() || cacheOptions.decryptMaxEntries() == 0) {
            return null; // caching turned off: every download unwraps with the backend, which checks
        }
        return new ReuseGrant(decryptable(envelope), cacheOptions.decryptTtl());
    }

    /** Provider, a well-formed id, a CMK that exists and is Enabled, and still holds the envelope's version. */
    private KeyRecord decryptable(KeyEnvelope envelope) {
        if (!provider().equals(envelope.provider())) {
            throw OssErrors.internal("data key was not wrapped by " + provider(), null);
        }
        KeyRecord k;
        try {
            k = existing(envelope.keyId());
        } catch (SseException e) {
            // Only a missing id is matched against the id form (it would run per download otherwise).
            if ("KeyNotFound".equals(e.ossCode()) && !KeyIds.isKeyId(envelope.keyId())) {
                throw OssErrors.internal("the object names a malformed KMS key id", null);
            }
            throw e;
        }
        requireEnabled(k);
        int version = KeyManager.materialVersionOf(envelope);
        if (version < 0 || k.version(version) == null) {
            throw cannotUnwrap(k.keyId());
        }
        return k;
    }

    private byte[] cachedOrOpen(String digest, String keyId, int version, byte[] sealed, byte[] context, byte[] aad) {
        byte[] hit = unwrapped.get(digest);
        if (hit != null) {
            hits.incrementAndGet();
            return hit;
        }
        misses.incrementAndGet();
        decryptCalls.incrementAndGet();
        byte[] key = backend.open(keyId, version, sealed, context, aad);
        if (key == null || key.length != 32) {
            throw cannotUnwrap(keyId);
        }
        unwrapped.put(digest, keyId, key);
        return key;
    }

    private byte[] backendSeal(String keyId, int version, byte[] plaintext, byte[] context, byte[] aad) {
        generateCalls.incrementAndGet();
        return backend.seal(keyId, version, plaintext, context, aad);
    }

    private byte[] aad(String keyId, String wrap, int version) {
        return (provider() + "\0" + keyId + "\0" + wrap + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static String bucketDigest(String keyId, int version, byte[] salt, byte[] sealed) {
        return digest("bucket", keyId, Integer.toString(version), salt, sealed);
    }

    /** SHA-256 over length-prefixed parts: a cache key that no other input can collide with. */
    private static String digest(String kind, String keyId, String wrap, byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : new byte[][] {kind.getBytes(StandardCharsets.UTF_8), keyId.getBytes(StandardCharsets.UTF_8),
                    wrap.getBytes(StandardCharsets.UTF_8), a, b}) {
                md.update(ByteBuffer.allocate(4).putInt(part.length).array());
                md.update(part);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SseException cannotUnwrap(String keyId) {
        return OssErrors.internal("The data key of the object could not be unwrapped with KMS key " + keyId + ".", null);
    }

    // ---------------------------------------------------------------- lookups

    /** Resolves an id or alias to a live key; creates the default CMK on first use if asked to. */
    private KeyRecord resolve(String keyIdOrAlias, boolean createDefault) {
        String ref = keyIdOrAlias == null ? DEFAULT_ALIAS : keyIdOrAlias;
        if (KeyIds.isKeyId(ref)) {
            return existing(ref);
        }
        if (!KeyIds.isAlias(ref)) {
            throw OssErrors.invalidKmsKeyId();
        }
        String target = registry.current().aliases().get(ref);
        if (target == null && createDefault && DEFAULT_ALIAS.equals(ref)) {
            target = createDefaultKey();
        }
        if (target == null) {
            throw OssErrors.aliasNotFound();
        }
        return existing(target);
    }

    private String createDefaultKey() {
        return registry.update(d -> {
            String existing = d.aliases.get(DEFAULT_ALIAS);
            if (existing != null) {
                return existing; // another thread or instance made it first
            }
            String id = KeyIds.newKeyId();
            backend.createMaterial(id, 1);
            Instant now = clock.instant();
            d.keys.put(id, new KeyRecord(id, DEFAULT_KEY_DESCRIPTION, KeyState.ENABLED, KeyOrigin.GENERATED, now, null,
                    null, List.of(new MaterialVersion(1, now))));
            d.aliases.put(DEFAULT_ALIAS, id);
            LOG.info("Created the default CMK {} ({})", id, DEFAULT_ALIAS);
            return id;
        });
    }

    /** The key, destroying it first if its deletion date has passed; 404 KeyNotFound if gone. */
    private KeyRecord existing(String keyId) {
        KeyRecord k = registry.current().keys().get(keyId);
        if (k != null && due(k)) {
            destroy(keyId);
            k = null;
        }
        if (k == null) {
            throw OssErrors.keyNotFound();
        }
        return k;
    }

    private boolean due(KeyRecord k) {
        return k.state() == KeyState.PENDING_DELETION && !clock.instant().isBefore(k.deleteDate());
    }

    /** Crypto-shredding: material first (a crash then leaves a key that is destroyed again), then metadata. */
    private void destroy(String keyId) {
        registry.update(d -> {
            KeyRecord k = d.keys.get(keyId);
            if (k == null || !due(k)) {
                return null;
            }
            backend.destroyMaterial(keyId);
            d.keys.remove(keyId);
            d.aliases.values().removeIf(keyId::equals);
            LOG.warn("Destroyed CMK {} (deletion date {} passed): objects under it can no longer be decrypted", keyId,
                    k.deleteDate());
            return null;
        });
        invalidate(keyId);
    }

    private void invalidate(String keyId) {
        bucketKeys.invalidateKey(keyId);
        unwrapped.invalidateKey(keyId);
    }

    private static void requireEnabled(KeyRecord k) {
        if (k.state() != KeyState.ENABLED) {
            throw KmsErrors.notEnabled(k.state());
        }
    }

    private MaterialVersion rotateIfDue(KeyRecord k) {
        MaterialVersion p = k.primary();
        Duration every = k.rotationInterval();
        if (every == null || k.origin() == KeyOrigin.EXTERNAL || clock.instant().isBefore(p.created().plus(every))) {
            return p;
        }
        return registry.update(d -> {
            KeyRecord cur = d.keys.get(k.keyId());
            if (cur == null || cur.state() != KeyState.ENABLED) {
                throw cur == null ? OssErrors.keyNotFound() : KmsErrors.notEnabled(cur.state());
            }
            MaterialVersion primary = cur.primary();
            if (clock.instant().isBefore(primary.created().plus(every))) {
                return primary; // another instance rotated meanwhile
            }
            return addVersion(d, cur);
        });
    }

    private MaterialVersion addVersion(KeyRegistry.Draft d, KeyRecord k) {
        int next = k.primary().version() + 1;
        backend.createMaterial(k.keyId(), next);
        MaterialVersion v = new MaterialVersion(next, clock.instant());
        d.keys.put(k.keyId(), k.withVersion(v));
        LOG.info("Rotated CMK {} to material version {}", k.keyId(), next);
        return v;
    }

    @Override
    public KeyMetadata describeKey(String keyIdOrAlias) {
        KeyRecord k = resolve(keyIdOrAlias, false);
        return metadata(k, registry.current());
    }

    @Override
    public List<KeyMetadata> listKeys() {
        KeyRegistry.State s = registry.current();
        boolean destroyed = false;
        for (KeyRecord k : s.keys().values()) {
            if (due(k)) {
                destroy(k.keyId());
                destroyed = true;
            }
        }
        KeyRegistry.State now = destroyed ? registry.current() : s;
        List<KeyMetadata> out = new ArrayList<>();
        for (KeyRecord k : now.keys().values()) {
            out.add(metadata(k, now));
        }
        out.sort(Comparator.comparing(KeyMetadata::creationDate).thenComparing(KeyMetadata::keyId));
        return out;
    }

    @Override
    public List<AliasInfo> listAliases() {
        List<AliasInfo> out = new ArrayList<>();
        registry.current().aliases().forEach((a, k) -> out.add(new AliasInfo(a, k)));
        return out;
    }

    private static KeyMetadata metadata(KeyRecord k, KeyRegistry.State s) {
        MaterialVersion p = k.primary();
        return new KeyMetadata(k.keyId(), k.description(), k.state(), k.origin(), k.created(), k.deleteDate(),
                p == null ? 0 : p.version(), k.rotationInterval(), p == null ? null : p.created(), s.aliasesOf(k.keyId()));
    }

    @Override
    public KeyManagerStats stats() {
        return new KeyManagerStats(generateCalls.get(), decryptCalls.get(), hits.get(), misses.get());
    }

    // ---------------------------------------------------------------- admin

    @Override
    public KeyMetadata createKey(String description) {
        return create(description, KeyOrigin.GENERATED);
    }

    @Override
    public KeyMetadata createExternalKey(String description) {
        return create(description, KeyOrigin.EXTERNAL);
    }

    private KeyMetadata create(String description, KeyOrigin origin) {
        String desc = description == null ? "" : description;
        if (desc.length() > MAX_DESCRIPTION) {
            throw KmsErrors.invalidParameter("The Description is longer than " + MAX_DESCRIPTION + " characters.");
        }
        String id = KeyIds.newKeyId();
        Instant now = clock.instant();
        return registry.update(d -> {
            List<MaterialVersion> versions = List.of();
            KeyState state = KeyState.PENDING_IMPORT;
            if (origin == KeyOrigin.GENERATED) {
                backend.createMaterial(id, 1);
                versions = List.of(new MaterialVersion(1, now));
                state = KeyState.ENABLED;
            }
            KeyRecord k = new KeyRecord(id, desc, state, origin, now, null, null, versions);
            d.keys.put(id, k);
            return metadata(k, new KeyRegistry.State(d.keys, d.aliases));
        });
    }

    /** An alias may name a key that exists and is not pending deletion (KMS CreateAlias/UpdateAlias). */
    private static void requireAliasTarget(KeyRegistry.Draft d, String keyId) {
        KeyRecord k = d.keys.get(keyId);
        if (k == null) {
            throw OssErrors.keyNotFound();
        }
        if (k.state() == KeyState.PENDING_DELETION) {
            throw KmsErrors.stateModifiedFailed("The key is pending deletion.");
        }
    }

    @Override
    public void createAlias(String aliasName, String keyId) {
        checkUserAlias(aliasName);
        KeyIds.requireKeyId(keyId);
        existing(keyId);
        registry.update(d -> {
            requireAliasTarget(d, keyId);
            if (d.aliases.containsKey(aliasName)) {
                throw KmsErrors.aliasExists();
            }
            d.aliases.put(aliasName, keyId);
            return null;
        });
    }

    @Override
    public void updateAlias(String aliasName, String keyId) {
        checkUserAlias(aliasName);
        KeyIds.requireKeyId(keyId);
        existing(keyId);
        registry.update(d -> {
            requireAliasTarget(d, keyId);
            if (!d.aliases.containsKey(aliasName)) {
                throw OssErrors.aliasNotFound();
            }
            d.aliases.put(aliasName, keyId);
            return null;
        });
    }

    @Override
    public void deleteAlias(String aliasName) {
        checkUserAlias(aliasName);
        registry.update(d -> {
            if (d.aliases.remove(aliasName) == null) {
                throw OssErrors.aliasNotFound();
            }
            return null;
        });
    }

    private static void checkUserAlias(String aliasName) {
        if (!KeyIds.isAlias(aliasName)) {
            throw KmsErrors.invalidParameter("The specified AliasName is not valid.");
        }
        if (aliasName.startsWith(KeyIds.RESERVED_ALIAS_PREFIX)) {
            throw KmsErrors.invalidParameter("Aliases beginning with alias/acs/ are reserved.");
        }
    }

    @Override
    public void enableKey(String keyId) {
        changeState(keyId, KeyState.ENABLED);
    }

    @Override
    public void disableKey(String keyId) {
        changeState(keyId, KeyState.DISABLED);
    }

    /** KMS: EnableKey/DisableKey succeed from Enabled or Disabled, else Rejected.StateModifiedFailed. */
    private void changeState(String keyId, KeyState to) {
        KeyIds.requireKeyId(keyId);
        existing(keyId);
        registry.update(d -> {
            KeyRecord k = live(d, keyId);
            if (k.state() != KeyState.ENABLED && k.state() != KeyState.DISABLED) {
                throw KmsErrors.stateModifiedFailed("The key is " + k.state().kmsName() + ".");
            }
            d.keys.put(keyId, k.withState(to, null));
            return null;
        });
        invalidate(keyId);
    }

    @Override
    public Instant scheduleKeyDeletion(String keyId, int pendingWindowInDays) {
        KeyIds.requireKeyId(keyId);
        if (pendingWindowInDays < MIN_PENDING_WINDOW_DAYS || pendingWindowInDays > MAX_PENDING_WINDOW_DAYS) {
            throw KmsErrors.invalidParameter("PendingWindowInDays must be " + MIN_PENDING_WINDOW_DAYS + " to "
                    + MAX_PENDING_WINDOW_DAYS + ".");
        }
        existing(keyId);
        Instant when = clock.instant().plus(Duration.ofDays(pendingWindowInDays));
        registry.update(d -> {
            KeyRecord k = live(d, keyId);
            if (k.state() == KeyState.PENDING_DELETION) {
                throw KmsErrors.stateModifiedFailed("The key is already pending deletion.");
            }
            d.keys.put(keyId, k.withState(KeyState.PENDING_DELETION, when));
            return null;
        });
        invalidate(keyId);
        LOG.warn("CMK {} scheduled for deletion on {}", keyId, when);
        return when;
    }

    /**
     * KMS CancelKeyDeletion: the key comes back Enabled (Alibaba Cloud KMS API reference, CancelKeyDeletion:
     * "the CMK returns to the Enabled state"), or PendingImport if it never received material.
     */
    @Override
    public void cancelKeyDeletion(String keyId) {
        KeyIds.requireKeyId(keyId);
        existing(keyId);
        registry.update(d -> {
            KeyRecord k = live(d, keyId);
            if (k.state() != KeyState.PENDING_DELETION) {
                throw KmsErrors.stateModifiedFailed("The key is not pending deletion.");
            }
            d.keys.put(keyId, k.withState(k.versions().isEmpty() ? KeyState.PENDING_IMPORT : KeyState.ENABLED, null));
            return null;
        });
    }

    @Override
    public KeyMetadata rotateKeyMaterial(String keyId) {
        KeyIds.requireKeyId(keyId);
        existing(keyId);
        return registry.update(d -> {
            KeyRecord k = live(d, keyId);
            if (k.origin() == KeyOrigin.EXTERNAL) {
                throw KmsErrors.unsupported("Keys with imported material cannot be rotated.");
            }
            requireEnabled(k);
            addVersion(d, k);
            return metadata(d.keys.get(keyId), new KeyRegistry.State(d.keys, d.aliases));
        });
    }

    /** KMS UpdateRotationPolicy: RotationInterval from 7 to 365 days. */
    @Override
    public void setRotationInterval(String keyId, Duration interval) {
        KeyIds.requireKeyId(keyId);
        if (interval != null && (interval.compareTo(Duration.ofDays(7)) < 0 || interval.compareTo(Duration.ofDays(365)) > 0)) {
            throw KmsErrors.invalidParameter("RotationInterval must be 7 to 365 days.");
        }
        existing(keyId);
        registry.update(d -> {
            KeyRecord k = live(d, keyId);
            if (k.origin() == KeyOrigin.EXTERNAL) {
                throw KmsErrors.unsupported("Keys with imported material cannot be rotated.");
            }
            requireEnabled(k);
            d.keys.put(keyId, k.withRotationInterval(interval));
            return null;
        });
    }

    @Override
    public ImportParameters getParametersForImport(String keyId) {
        KeyIds.requireKeyId(keyId);
        KeyRecord k = existing(keyId);
        requireImportable(k);
        return imports.issue(keyId, IMPORT_TOKEN_LIFETIME);
    }

    @Override
    public void importKeyMaterial(String keyId, String importToken, byte[] encryptedKeyMaterial) {
        KeyIds.requireKeyId(keyId);
        Objects.requireNonNull(encryptedKeyMaterial, "encryptedKeyMaterial");
        KeyRecord k = existing(keyId);
        requireImportable(k);
        byte[] material = imports.redeem(keyId, importToken, encryptedKeyMaterial);
        try {
            registry.update(d -> {
                KeyRecord cur = live(d, keyId);
                requireImportable(cur);
                // PendingImport = no version recorded, so no object was ever sealed under this key. Material
                // the backend still holds is a leftover of an import whose metadata write failed: it goes,
                // or the retry would keep it and enable the key with material its owner did not import now.
                backend.destroyMaterial(keyId);
                backend.importMaterial(keyId, 1, material);
                Instant now = clock.instant();
                d.keys.put(keyId, cur.withVersion(new MaterialVersion(1, now)).withState(KeyState.ENABLED, null));
                return null;
            });
        } finally {
            Arrays.fill(material, (byte) 0);
        }
        LOG.info("Imported key material into CMK {}", keyId);
    }

    /** Import is for EXTERNAL keys waiting for their material (re-import of the same material is not supported). */
    private static void requireImportable(KeyRecord k) {
        if (k.origin() != KeyOrigin.EXTERNAL) {
            throw KmsErrors.unsupported("Only keys created with Origin EXTERNAL accept imported key material.");
        }
        if (k.state() != KeyState.PENDING_IMPORT) {
            throw KmsErrors.stateModifiedFailed("The key is " + k.state().kmsName() + ", not PendingImport.");
        }
    }

    private static KeyRecord live(KeyRegistry.Draft d, String keyId) {
        KeyRecord k = d.keys.get(keyId);
        if (k == null) {
            throw OssErrors.keyNotFound();
        }
        return k;
    }

    @Override
    public void close() {
        bucketKeys.clear();
        unwrapped.clear();
        imports.clear();
        backend.close();
    }

    @Override
    public String toString() {
        return "CmkKeyManager[" + provider() + ", cache=" + cacheOptions.enabled() + "]";
    }

    /** Test hook: how many unwrapped keys the decrypt cache holds. */
    int decryptCacheSize() {
        return unwrapped.size();
    }
}
