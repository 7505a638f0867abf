package io.servletsse.kms;

import io.servletsse.crypto.Hkdf;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SecretAccess;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSE-OSS: the service-managed master keys, one versioned ring per algorithm ({@code AES256},
 * {@code SM4}), the analogue of OSS's "fully managed by OSS" encryption ({@code x-oss-server-side-encryption:
 * AES256|SM4}). Provider id {@value #PROVIDER}.
 *
 * <h2>Envelope</h2>
 * <ul>
 *   <li>{@code keyId} = {@code <ALG>@v<N>}, e.g. {@code AES256@v3}: the ring and the version that wrapped it.</li>
 *   <li>{@code wrapAlgorithm} = {@value #WRAP_AES} (AES256 ring) or {@value #WRAP_SM4} (SM4 ring).</li>
 *   <li>{@code wrapped} = 48 bytes: {@code GCM(KEK, nonce = 0^12, DEK(32), aad) || tag(16)} where
 *       {@code KEK = HKDF-SHA256(ikm = master key version, salt = context (the object's header salt),
 *       info = "servlet-sse sse-oss wrap v1" || 0x00 || keyId)}, 32 bytes for AES-256-GCM and 16 for
 *       SM4-GCM, and {@code aad = "sse-oss" || 0x00 || keyId || 0x00 || wrapAlgorithm}. The KEK is unique per
 *       object (fresh random salt), so the fixed nonce never repeats under one key (FORMAT-RESEARCH.md
 *       4.7) and the master key never meets the 2^32 random-nonce bound. Binding: the salt is in the KEK,
 *       so a wrapped key moved into another object's header does not unwrap.</li>
 * </ul>
 *
 * <h2>Rotation (Tink key-status style: one primary, older versions stay enabled for decrypt)</h2>
 * New data keys are wrapped under the newest version. When it is at least {@code rotationPeriod} old
 * (injected {@link Clock}, checked on generate) a new version is made; {@link #rotate} makes one on
 * demand. Old versions keep decrypting forever: a version file is never rewritten or deleted here.
 *
 * <h2>Files</h2>
 * {@code <dir>/<ALG>/v<N>.key}, 0600 in 0700 directories, each written once with
 * {@link AtomicFiles#createSecret} (first writer wins, so two threads or two instances creating the
 * same version end up with one key, and a crash leaves the old file or the new one). Layout, big-endian:
 * {@code "SSEOSSMK" | u8 format=1 | u8 len | ALG | u32 version | i64 createdEpochMillis | u16 len | sealed},
 * {@code sealed = RootKey.seal(key, aad = every byte before it)}. At most {@value #MAX_FILE} bytes.
 */
public final class ServiceMasterKeys implements DataKeySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMasterKeys.class);

    public static final String PROVIDER = "sse-oss";
    public static final String WRAP_AES = "sse-oss/hkdf-sha256/aes-256-gcm/v1";
    public static final String WRAP_SM4 = "sse-oss/hkdf-sha256/sm4-gcm/v1";
    /** Default automatic rotation period, as the brief and common KMS practice (90 days). */
    public static final Duration DEFAULT_ROTATION_PERIOD = Duration.ofDays(90);
    /** The ring names, exactly the OSS header values. */
    public static final List<String> ALGORITHMS = List.of("AES256", "SM4");

    static final int MIN_CONTEXT = 16;
    static final int MAX_CONTEXT = 256;
    private static final int MAX_FILE = 256;
    private static final int MAX_VERSION = 999_999_999;
    private static final int WRAPPED_LENGTH = DataKey.LENGTH + WrapCipher.TAG_LENGTH;
    private static final byte[] MAGIC = "SSEOSSMK".getBytes(StandardCharsets.US_ASCII);
    /** Client-facing text for key store failures; the details (paths, causes) go to the log only. */
    private static final String KEY_STORE_ERROR = "The service master key store could not open a key.";
    private static final Pattern KEY_ID = Pattern.compile("(AES256|SM4)@v([1-9][0-9]{0,8})");
    private static final Pattern FILE_NAME = Pattern.compile("v([1-9][0-9]{0,8})\\.key");

    private final Path dir;
    private final RootKey rootKey;
    private final Duration rotationPeriod;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Test hook: a loaded version (so tests can look for its bytes in files); null if unknown. */
    MasterKeyVersion loadedVersion(String alg, int n) {
        return ring(alg).version(n);
    }

    private ServiceMasterKeys(Path dir, RootKey rootKey, Duration rotationPeriod, Clock clock, SecureRandom random) {
        this.dir = dir;
        this.rootKey = rootKey;
        this.rotationPeriod = rotationPeriod;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens (creating lazily) the master keys under {@code dir}.
     *
     * @param rotationPeriod automatic rotation period; {@link Duration#ZERO} turns automatic rotation off
     * @throws IllegalArgumentException for a negative period
     */
    public static ServiceMasterKeys open(Path dir, RootKey rootKey, Duration rotationPeriod, Clock clock,
            SecureRandom random) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(rootKey, "rootKey");
        Objects.requireNonNull(rotationPeriod, "rotationPeriod");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (rotationPeriod.isNegative()) {
            throw new IllegalArgumentException("rotationPeriod cannot be negative: " + rotationPeriod);
        }
        return new ServiceMasterKeys(dir, rootKey, rotationPeriod, clock, random);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * A new data key wrapped under the newest version of ring {@code algorithm} ({@code AES256} or
     * {@code SM4}), creating the ring on first use and rotating it first if it is due.
     *
     * @throws SseException 400 InvalidEncryptionAlgorithmError for another algorithm name; 503 if the
     *                      key directory cannot be read or written; 500 if a key file does not open
     */
    @Override
    public GeneratedDataKey generateDataKey(String algorithm, byte[] context) {
        Ring ring = ring(checkAlgorithm(algorithm));
        checkContext(context);
        MasterKeyVersion v = ring.primary(false);
        String keyId = ring.alg + "@v" + v.version;
        DataKey dek = DataKey.generate(random);
        byte[] wrapped = wrap(ring.alg, keyId, v, dek.reveal(SecretAccess.grant()), context);
        return new GeneratedDataKey(dek, new KeyEnvelope(PROVIDER, keyId, wrapTag(ring.alg), wrapped));
    }

    /**
     * Unwraps with the version the envelope names, whatever the newest version is.
     *
     * @throws SseException 500 InternalError for an envelope of another provider, an unknown or
     *                      destroyed version, a wrong wrap tag, tampered bytes or the wrong context
     */
    @Override
    public DataKey decryptDataKey(KeyEnvelope envelope, byte[] context) {
        Objects.requireNonNull(envelope, "envelope");
        checkContext(context);
        requireOwn(envelope);
        Matcher m = KEY_ID.matcher(envelope.keyId());
        if (!m.matches()) {
            throw OssErrors.internal("unknown service master key: " + envelope.keyId(), null);
        }
        String alg = m.group(1);
        if (!wrapTag(alg).equals(envelope.wrapAlgorithm())) {
            throw OssErrors.internal("unsupported wrap algorithm for " + alg + ": " + envelope.wrapAlgorithm(), null);
        }
        MasterKeyVersion v = ring(alg).version(Integer.parseInt(m.group(2)));
        if (v == null) {
            throw OssErrors.internal("service master key version not found: " + envelope.keyId(), null);
        }
        byte[] wrapped = envelope.wrapped();
        byte[] dek = wrapped.length == WRAPPED_LENGTH ? unwrap(alg, envelope.keyId(), v, wrapped, context) : null;
        if (dek == null) {
            throw OssErrors.internal("cannot unwrap data key under " + envelope.keyId()
                    + ": tampered envelope or it belongs to another object", null);
        }
        try {
            return DataKey.copyOf(dek);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    /** Service master keys are never disabled and keep every version: reuse is limited only by the reuser. */
    @Override
    public ReuseGrant reuse(KeyEnvelope envelope) {
        requireOwn(envelope);
        requireOpen();
        return ReuseGrant.SERVICE_KEYS;
    }

    /**
     * Wraps an existing data key (re-wrap: the object's segments stay as they are) under master key
     * {@code algorithmOrKeyId}: {@code AES256}/{@code SM4} for the newest version of that ring (rotating
     * first if due, as {@link #generateDataKey} does), or {@code AES256@v3} for that version, which must
     * exist. {@code context} is the object's header salt. Used by the operator CLI.
     *
     * @throws SseException 400 InvalidEncryptionAlgorithmError for another ring; 500 for an unknown version
     */
    public KeyEnvelope wrapDataKey(String algorithmOrKeyId, DataKey dataKey, byte[] context) {
        Objects.requireNonNull(algorithmOrKeyId, "algorithmOrKeyId");
        Objects.requireNonNull(dataKey, "dataKey");
        checkContext(context);
        Matcher m = KEY_ID.matcher(algorithmOrKeyId);
        Ring ring;
        MasterKeyVersion v;
        if (m.matches()) {
            ring = ring(m.group(1));
            v = ring.version(Integer.parseInt(m.group(2)));
            if (v == null) {
                throw OssErrors.internal("service master key version not found: " + algorithmOrKeyId, null);
            }
        } else {
            ring = ring(checkAlgorithm(algorithmOrKeyId));
            v = ring.primary(false);
        }
        String keyId = ring.alg + "@v" + v.version;
        byte[] wrapped = wrap(ring.alg, keyId, v, dataKey.reveal(SecretAccess.grant()), context);
        return new KeyEnvelope(PROVIDER, keyId, wrapTag(ring.alg), wrapped);
    }

    /** Makes a new newest version of ring {@code algorithm} now; returns its key id ({@code AES256@v4}). */
    public String rotate(String algorithm) {
        Ring ring = ring(checkAlgorithm(algorithm));
        return ring.alg + "@v" + ring.primary(true).version;
    }

    /** The key id new data keys of ring {@code algorithm} are wrapped under (creating the ring if needed). */
    public String currentKeyId(String algorithm) {
        Ring ring = ring(checkAlgorithm(algorithm));
        return ring.alg + "@v" + ring.primary(false).version;
    }

    /** One version of a ring, as {@link #versions} lists it. Nothing secret. */
    public record VersionInfo(String keyId, Instant created) {}

    /** The versions of ring {@code algorithm} on disk, oldest first (the last one is the primary). */
    public List<VersionInfo> versions(String algorithm) {
        Ring ring = ring(checkAlgorithm(algorithm));
        ring.reload();
        List<VersionInfo> out = new ArrayList<>();
        ring.versions.values().forEach(v -> out.add(new VersionInfo(ring.alg + "@v" + v.version, v.created)));
        return out;
    }

    /** Wipes the master keys held in memory. The instance is unusable afterwards. */
    @Override
    public void close() {
        closed = true;
        rings.values().forEach(r -> r.versions.values().forEach(MasterKeyVersion::destroy));
        rings.clear();
    }

    private static void requireOwn(KeyEnvelope envelope) {
        if (!PROVIDER.equals(envelope.provider())) {
            throw OssErrors.internal("data key was not wrapped by " + PROVIDER, null);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw OssErrors.keyServiceUnavailable("The service master key store is closed.", null);
        }
    }

    private Ring ring(String alg) {
        requireOpen();
        return rings.computeIfAbsent(alg, a -> new Ring(a, dir.resolve(a)));
    }

    private static String checkAlgorithm(String algorithm) {
        if (algorithm == null || !ALGORITHMS.contains(algorithm)) {
            throw OssErrors.invalidEncryptionAlgorithm();
        }
        return algorithm;
    }

    static void checkContext(byte[] context) {
        Objects.requireNonNull(context, "context");
        if (context.length < MIN_CONTEXT || context.length > MAX_CONTEXT) {
            throw new IllegalArgumentException("context (header salt) must be " + MIN_CONTEXT + ".." + MAX_CONTEXT
                    + " bytes, got " + context.length);
        }
    }

    private static String wrapTag(String alg) {
        return "SM4".equals(alg) ? WRAP_SM4 : WRAP_AES;
    }

    private static WrapCipher cipher(String alg) {
        return "SM4".equals(alg) ? WrapCipher.SM4_GCM : WrapCipher.AES_256_GCM;
    }

    private static byte[] wrapAad(String keyId, String tag) {
        return (PROVIDER + "\0" + keyId + "\0" + tag).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] kek(String alg, String keyId, MasterKeyVersion v, byte[] context) {
        byte[] info = ("servlet-sse sse-oss wrap v1\0" + keyId).getBytes(StandardCharsets.UTF_8);
        byte[] kek = Hkdf.derive(context, v.key(), info, cipher(alg).keyLength());
        if (v.isDestroyed()) { // closed while we derived: the bytes may have been wiped mid-way
            Arrays.fill(kek, (byte) 0);
            throw OssErrors.keyServiceUnavailable("The service master key store is closed.", null);
        }
        return kek;
    }

    private static byte[] wrap(String alg, String keyId, MasterKeyVersion v, byte[] dek, byte[] context) {
        byte[] kek = kek(alg, keyId, v, context);
        try {
            return cipher(alg).seal(kek, new byte[WrapCipher.NONCE_LENGTH], dek, wrapAad(keyId, wrapTag(alg)));
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] unwrap(String alg, String keyId, MasterKeyVersion v, byte[] wrapped, byte[] context) {
        byte[] kek = kek(alg, keyId, v, context);
        try {
            return cipher(alg).open(kek, new byte[WrapCipher.NONCE_LENGTH], wrapped, wrapAad(keyId, wrapTag(alg)));
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** One algorithm's versions. Reads are lock-free; creating a version holds the ring's lock. */
    private final class Ring {
        final String alg;
        final Path ringDir;
        final ConcurrentSkipListMap<Integer, MasterKeyVersion> versions = new ConcurrentSkipListMap<>();

        Ring(String alg, Path ringDir) {
            this.alg = alg;
            this.ringDir = ringDir;
        }

        /** The newest version; creates v1 on first use, and a new version when forced or due. */
        MasterKeyVersion primary(boolean forceNew) {
            Map.Entry<Integer, MasterKeyVersion> e = versions.lastEntry();
            if (!forceNew && e != null && !due(e.getValue())) {
                return e.getValue();
            }
            synchronized (this) {
                reload(); // another instance may have created or rotated meanwhile
                e = versions.lastEntry();
                if (e != null && !forceNew && !due(e.getValue())) {
                    return e.getValue();
                }
                int next = e == null ? 1 : e.getKey() + 1;
                if (next > MAX_VERSION) {
                    throw OssErrors.internal("too many versions of service master key " + alg, null);
                }
                create(next);
                reload();
                return versions.lastEntry().getValue();
            }
        }

        private boolean due(MasterKeyVersion v) {
            return !rotationPeriod.isZero() && !clock.instant().isBefore(v.created.plus(rotationPeriod));
        }

        /** The version, reading it from disk if another instance made it after we last looked. */
        MasterKeyVersion version(int n) {
            MasterKeyVersion v = versions.get(n);
            if (v != null) {
                return v;
            }
            synchronized (this) {
                reload();
                return versions.get(n);
            }
        }

        synchronized void reload() {
            if (!Files.isDirectory(ringDir)) {
                return;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(ringDir)) {
                for (Path p : ds) {
                    Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        int n = Integer.parseInt(m.group(1));
                        if (!versions.containsKey(n)) {
                            versions.put(n, read(p, n));
                        }
                    }
                }
            } catch (IOException e) {
                LOG.error("Cannot list service master keys in {}", ringDir, e);
                throw OssErrors.keyServiceUnavailable("The service master key store is unavailable.", null);
            }
        }

        private void create(int n) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            Instant now = clock.instant();
            try {
                byte[] header = header(n, now);
                byte[] sealed = rootKey.seal(key, header, random);
                ByteArrayOutputStream bo = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bo);
                out.write(header);
                out.writeShort(sealed.length);
                out.write(sealed);
                AtomicFiles.ensurePrivateDirectory(dir);
                AtomicFiles.ensurePrivateDirectory(ringDir);
                if (AtomicFiles.createSecret(ringDir.resolve("v" + n + ".key"), bo.toByteArray())) {
                    LOG.info("Created service master key {}@v{}", alg, n);
                }
            } catch (IOException e) {
                LOG.error("Cannot write service master key {} v{} in {}", alg, n, ringDir, e);
                throw OssErrors.keyServiceUnavailable("The service master key store is unavailable.", null);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        private byte[] header(int n, Instant created) {
            try {
                ByteArrayOutputStream bo = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bo);
                out.write(MAGIC);
                out.writeByte(1);
                byte[] a = alg.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(a.length);
                out.write(a);
                out.writeInt(n);
                out.writeLong(created.toEpochMilli());
                return bo.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen in memory
            }
        }

        private MasterKeyVersion read(Path p, int n) throws IOException {
            byte[] b;
            try (InputStream in = Files.newInputStream(p)) {
                b = in.readNBytes(MAX_FILE + 1);
            } catch (NoSuchFileException e) {
                LOG.error("Service master key file vanished while reading: {}", p);
                throw OssErrors.internal(KEY_STORE_ERROR, null);
            }
            String what = "service master key file " + p;
            try {
                if (b.length > MAX_FILE) {
                    throw corrupt(what);
                }
                ByteBuffer buf = ByteBuffer.wrap(b);
                byte[] magic = new byte[MAGIC.length];
                buf.get(magic);
                if (!Arrays.equals(magic, MAGIC) || buf.get() != 1) {
                    throw corrupt(what);
                }
                byte[] a = new byte[buf.get() & 0xff];
                buf.get(a);
                int version = buf.getInt();
                Instant created = Instant.ofEpochMilli(buf.getLong());
                // The name must agree with the sealed header, so renaming v1.key to v2.key is caught.
                if (!alg.equals(new String(a, StandardCharsets.US_ASCII)) || version != n) {
                    throw corrupt(what);
                }
                int headerLength = buf.position();
                byte[] sealed = new byte[buf.getShort() & 0xffff];
                buf.get(sealed);
                if (buf.hasRemaining()) {
                    throw corrupt(what);
                }
                byte[] key;
                try {
                    key = rootKey.open(sealed, Arrays.copyOf(b, headerLength), what);
                } catch (SseException e) {
                    LOG.error(e.getMessage());
                    throw OssErrors.internal(KEY_STORE_ERROR, null);
                }
                if (key.length != 32) {
                    Arrays.fill(key, (byte) 0);
                    throw corrupt(what);
                }
                return new MasterKeyVersion(version, created, key);
            } catch (java.nio.BufferUnderflowException e) {
                throw corrupt(what);
            }
        }

        private SseException corrupt(String what) {
            LOG.error("{} is malformed", what);
            return OssErrors.internal(KEY_STORE_ERROR, null);
        }
    }
}
