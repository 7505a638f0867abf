package io.servletsse.kms;

import io.servletsse.crypto.Hkdf;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of the key hierarchy: 32 bytes that encrypt every piece of key material this package
 * stores on disk (service master keys, built-in KMS key material, cache-free metadata is not secret).
 *
 * <h2>Where it comes from ({@link #resolve}), first match wins</h2>
 * <ol>
 *   <li>an operator-configured file: 32 raw bytes, or base64 of 32 bytes (surrounding whitespace
 *       ignored). If configured it must exist and be valid: a missing configured key never falls
 *       back to a generated one.</li>
 *   <li>the environment variable (default {@value #DEFAULT_ENVIRONMENT_VARIABLE}), base64 of 32 bytes,
 *       if it is set and not empty;</li>
 *   <li>{@code <dataDir>/root.key} if it exists (a previous first run made it);</li>
 *   <li>otherwise a new random key written to {@code <dataDir>/root.key} (0600, atomic, never
 *       overwriting), with a WARNING: it then sits beside the data it protects, so anyone who can
 *       copy the data directory can decrypt everything. Production: supply it from elsewhere.</li>
 * </ol>
 *
 * <p>Sealing format ({@link #seal}): {@code nonce(12) || AES-256-GCM(K_seal, nonce, plaintext, aad)}
 * with {@code K_seal = HKDF-SHA256(root, salt=none, info="servlet-sse root-key seal v1")} and a random
 * nonce: the root key seals only a handful of key files, far below the 2^32 random-nonce bound.
 * The {@code aad} names what is sealed (file kind, key id, version), so sealed files cannot be
 * swapped for one another.
 */
public final class RootKey implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RootKey.class);

    public static final int LENGTH = 32;
    public static final String DEFAULT_ENVIRONMENT_VARIABLE = "SERVLET_SSE_ROOT_KEY";
    public static final String GENERATED_FILE_NAME = "root.key";
    /** Longest root key file accepted (base64 of 32 bytes plus generous whitespace). */
    private static final int MAX_FILE_SIZE = 1024;
    private static final byte[] SEAL_INFO = "servlet-sse root-key seal v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECK_INFO = "servlet-sse root-key check v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] sealKey;
    private final String fingerprint;
    private final String origin;
    private volatile boolean destroyed;

    private RootKey(byte[] root, String origin) {
        if (root.length != LENGTH) {
            throw new IllegalArgumentException("root key must be " + LENGTH + " bytes, got " + root.length);
        }
        this.sealKey = Hkdf.derive(null, root, SEAL_INFO, 32);
        byte[] check = Hkdf.derive(null, root, CHECK_INFO, 8);
        this.fingerprint = HexFormat.of().formatHex(check);
        Arrays.fill(check, (byte) 0);
        this.origin = origin;
    }

    /** A root key from its 32 bytes (copied; the caller wipes its own array). */
    public static RootKey of(byte[] bytes) {
        return new RootKey(Objects.requireNonNull(bytes, "bytes"), "bytes");
    }

    /** A root key from base64 of 32 bytes. */
    public static RootKey fromBase64(String base64) {
        byte[] b = decodeBase64(Objects.requireNonNull(base64, "base64").trim().getBytes(StandardCharsets.US_ASCII));
        try {
            return new RootKey(b, "base64");
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * Finds the root key by the precedence in the class comment.
     *
     * @param configuredFile      operator-configured key file, or {@code null}
     * @param environmentVariable variable to read, or {@code null} for {@value #DEFAULT_ENVIRONMENT_VARIABLE}
     * @param environment         the process environment ({@code System.getenv()}; tests pass a map)
     * @param dataDirectory       where {@code root.key} is found or generated
     * @throws SseException 500 InternalError if a configured source is missing or malformed
     */
    public static RootKey resolve(Path configuredFile, String environmentVariable, Map<String, String> environment,
            Path dataDirectory, SecureRandom random) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(random, "random");
        if (configuredFile != null) {
            return loadFile(configuredFile, "file " + configuredFile);
        }
        String var = environmentVariable == null ? DEFAULT_ENVIRONMENT_VARIABLE : environmentVariable;
        String value = environment.get(var);
        if (value != null && !value.isBlank()) {
            byte[] b = decodeBase64(value.trim().getBytes(StandardCharsets.US_ASCII));
            try {
                RootKey k = new RootKey(b, "environment variable " + var);
                LOG.info("Root key loaded from environment variable {} (fingerprint {})", var, k.fingerprint);
                return k;
            } catch (IllegalArgumentException e) {
                throw OssErrors.internal("root key in environment variable " + var + " is not base64 of 32 bytes", null);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }
        Path generated = dataDirectory.resolve(GENERATED_FILE_NAME);
        if (Files.exists(generated, LinkOption.NOFOLLOW_LINKS)) {
            RootKey k = loadFile(generated, "file " + generated);
            LOG.warn("Root key read from {}, which sits beside the data it protects: anyone who can copy the data "
                    + "directory can decrypt it. Supply the root key from a file elsewhere or the environment "
                    + "variable {} in production.", generated, var);
            return k;
        }
        return generate(generated, random, var);
    }

    private static RootKey generate(Path target, SecureRandom random, String var) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        byte[] text = (Base64.getEncoder().encodeToString(b) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            AtomicFiles.ensurePrivateDirectory(target.toAbsolutePath().getParent());
            if (!AtomicFiles.createSecret(target, text)) {
                // Another instance generated it first: use theirs, never overwrite a root key.
                return loadFile(target, "file " + target);
            }
            RootKey k = new RootKey(b, "file " + target);
            LOG.warn("WARNING: generated a new root key in {} (fingerprint {}). It sits beside the data it protects: "
                    + "anyone who can copy the data directory can decrypt everything. Move it out (configure the key "
                    + "file path or the environment variable {}) and back it up: without it no object can be read.",
                    target, k.fingerprint, var);
            return k;
        } catch (IOException e) {
            throw OssErrors.internal("cannot write the generated root key", e);
        } finally {
            Arrays.fill(b, (byte) 0);
            Arrays.fill(text, (byte) 0);
        }
    }

    private static RootKey loadFile(Path file, String origin) {
        byte[] raw;
        try {
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw OssErrors.internal("root key " + origin + " is too large", null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                raw = in.readNBytes(MAX_FILE_SIZE + 1); // bounded even if the file grew meanwhile
            }
        } catch (NoSuchFileException e) {
            throw OssErrors.internal("root key " + origin + " does not exist", null);
        } catch (IOException e) {
            throw OssErrors.internal("cannot read root key " + origin, e);
        }
        warnIfReadableByOthers(file);
        byte[] key = raw.length == LENGTH ? raw.clone() : decodeBase64(trim(raw));
        Arrays.fill(raw, (byte) 0);
        try {
            RootKey k = new RootKey(key, origin);
            LOG.info("Root key loaded from {} (fingerprint {})", origin, k.fingerprint);
            return k;
        } catch (IllegalArgumentException e) {
            throw OssErrors.internal("root key " + origin + " is neither 32 bytes nor base64 of 32 bytes", null);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Root key file {} is readable by group or others; make it 0600", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static byte[] trim(byte[] b) {
        int s = 0;
        int e = b.length;
        while (s < e && b[s] <= ' ') {
            s++;
        }
        while (e > s && b[e - 1] <= ' ') {
            e--;
        }
        return Arrays.copyOfRange(b, s, e);
    }

    private static byte[] decodeBase64(byte[] text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return new byte[0]; // rejected by the length check, without echoing the text
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Seals key material for storage: {@code nonce || ciphertext+tag}. {@code aad} must name what
     * is sealed; the same bytes are needed to {@link #open} it.
     */
    byte[] seal(byte[] plaintext, byte[] aad, SecureRandom random) {
        byte[] nonce = new byte[WrapCipher.NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] ct = WrapCipher.AES_256_GCM.seal(key(), nonce, plaintext, aad);
        byte[] out = new byte[nonce.length + ct.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(ct, 0, out, nonce.length, ct.length);
        return out;
    }

    /**
     * Opens what {@link #seal} made, or throws 500 InternalError (wrong root key, tampered or
     * swapped file): fail closed, never a wrong key.
     */
    byte[] open(byte[] sealed, byte[] aad, String what) {
        byte[] pt = null;
        if (sealed.length >= WrapCipher.NONCE_LENGTH + WrapCipher.TAG_LENGTH) {
            pt = WrapCipher.AES_256_GCM.open(key(), Arrays.copyOf(sealed, WrapCipher.NONCE_LENGTH),
                    Arrays.copyOfRange(sealed, WrapCipher.NONCE_LENGTH, sealed.length), aad);
        }
        if (pt == null) {
            throw OssErrors.internal("cannot open " + what + ": wrong root key (fingerprint " + fingerprint
                    + ") or the file was modified", null);
        }
        return pt;
    }

    /** A non-secret 8-byte check value (hex) that tells operators which root key is loaded. */
    public String fingerprint() {
        return fingerprint;
    }

    private byte[] key() {
        if (destroyed) {
            throw new IllegalStateException("root key destroyed");
        }
        return sealKey;
    }

    /** Wipes the key from memory. Idempotent. */
    @Override
    public void close() {
        destroyed = true;
        Arrays.fill(sealKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "RootKey[redacted, fingerprint=" + fingerprint + ", from " + origin + "]";
    }
}
