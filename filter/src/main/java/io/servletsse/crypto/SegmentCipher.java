package io.servletsse.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals and opens the segments of one object under one content key with the STREAM nonce
 * {@code 0^7 || u32be(index) || last} (docs/FORMAT.md). One instance per stream: it keeps one
 * cipher object and re-initialises it per segment (one {@code init} + {@code doFinal} each, because
 * SunJCE GCM decryption buffers everything until {@code doFinal}). Not thread-safe.
 *
 * <p>{@link #close()} wipes the key bytes this object holds (the JCE provider may keep an expanded
 * schedule of its own until the cipher is garbage-collected; that is out of our reach).
 */
public abstract class SegmentCipher implements AutoCloseable {
    /** GCM tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** GCM nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;
    /** Largest segment index: the nonce holds it in four bytes. */
    public static final long MAX_INDEX = 0xFFFF_FFFFL;

    /** Reused nonce buffer: providers copy it during init. */
    protected final byte[] nonce = new byte[NONCE_LENGTH];

    SegmentCipher() {}

    /**
     * A segment cipher for {@code algorithm} under {@code contentKey} (copied; the caller wipes its
     * own copy). AES-256-GCM uses the JDK's SunJCE; SM4-GCM uses the BouncyCastle lightweight API
     * (BouncyCastle is never registered as a JCA provider).
     */
    public static SegmentCipher create(ContentAlgorithm algorithm, byte[] contentKey) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(contentKey, "contentKey");
        if (contentKey.length != algorithm.keyLength()) {
            throw new IllegalArgumentException("content key must be " + algorithm.keyLength() + " bytes");
        }
        switch (algorithm) {
            case AES_256_GCM:
                return new JceAesGcm(contentKey);
            case SM4_GCM:
                return new BcSm4Gcm(contentKey);
            default:
                throw new IllegalArgumentException("no segment cipher for " + algorithm);
        }
    }

    /** Fills {@link #nonce} with {@code 0^7 || u32be(index) || last}. */
    protected final void setNonce(long index, boolean last) {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("segment index out of range: " + index);
        }
        nonce[7] = (byte) (index >>> 24);
        nonce[8] = (byte) (index >>> 16);
        nonce[9] = (byte) (index >>> 8);
        nonce[10] = (byte) index;
        nonce[11] = (byte) (last ? 1 : 0);
    }

    /** The nonce of segment {@code index} (a copy, for tests and other implementations). */
    public static byte[] nonceFor(long index, boolean last) {
        byte[] n = new byte[NONCE_LENGTH];
        n[7] = (byte) (index >>> 24);
        n[8] = (byte) (index >>> 16);
        n[9] = (byte) (index >>> 8);
        n[10] = (byte) index;
        n[11] = (byte) (last ? 1 : 0);
        return n;
    }

    /**
     * Seals {@code in[inOff, inOff+len)} as segment {@code index} into {@code out} at {@code outOff}
     * ({@code len + TAG_LENGTH} bytes, ciphertext then tag). {@code in} and {@code out} must not overlap.
     *
     * @return the number of bytes written, {@code len + TAG_LENGTH}
     */
    public abstract int seal(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Opens segment {@code index} ({@code len} bytes, ciphertext then tag) into {@code out} at
     * {@code outOff}. On a tag mismatch the output region is zeroed before the exception, so no
     * unverified plaintext is left behind.
     *
     * @return the number of plaintext bytes, {@code len - TAG_LENGTH}
     * @throws AEADBadTagException if the segment does not authenticate under this key, index and flag
     */
    public abstract int open(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws AEADBadTagException;

    /** Wipes the key bytes held here. Idempotent; the cipher is unusable afterwards. */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[key redacted]";
    }

    /** AES-256-GCM on SunJCE. */
    private static final class JceAesGcm extends SegmentCipher {
        private final Cipher cipher;
        private final WipeableKey key;

        JceAesGcm(byte[] contentKey) {
            this.key = new WipeableKey(contentKey.clone(), "AES");
            this.cipher = Jca.aesGcm(); // SunJCE, pinned (a registered BouncyCastle would be ~80x slower)
        }

        @Override
        public int seal(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff) {
            setNonce(index, last);
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
                return cipher.doFinal(in, inOff, len, out, outOff);
            } catch (ShortBufferException e) {
                throw new IllegalArgumentException("output buffer too small", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM encryption failed", e);
            }
        }

        @Override
        public int open(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff)
                throws AEADBadTagException {
            if (len < TAG_LENGTH) {
                throw new AEADBadTagException("segment shorter than its tag");
            }
            setNonce(index, last);
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
                return cipher.doFinal(in, inOff, len, out, outOff);
            } catch (AEADBadTagException e) {
                Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
                throw e;
            } catch (ShortBufferException e) {
                throw new IllegalArgumentException("output buffer too small", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM decryption failed", e);
            }
        }

        @Override
        public void close() {
            key.destroy();
        }
    }

    /** SM4-GCM on the BouncyCastle lightweight API (no JCA provider registration). */
    private static final class BcSm4Gcm extends SegmentCipher {
        private final GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        private final byte[] keyBytes;
        private final KeyParameter keyParam;
        private boolean closed;

        BcSm4Gcm(byte[] contentKey) {
            this.keyBytes = contentKey.clone();
            // KeyParameter(byte[]) copies; keep our own reference to the copy through getKey() to wipe it.
            this.keyParam = new KeyParameter(keyBytes);
        }

        @Override
        public int seal(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff) {
            checkOpen();
            setNonce(index, last);
            gcm.init(true, new AEADParameters(keyParam, TAG_LENGTH * 8, nonce));
            int n = gcm.processBytes(in, inOff, len, out, outOff);
            try {
                return n + gcm.doFinal(out, outOff + n);
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("SM4-GCM encryption failed", e);
            }
        }

        @Override
        public int open(long index, boolean last, byte[] in, int inOff, int len, byte[] out, int outOff)
                throws AEADBadTagException {
            checkOpen();
            if (len < TAG_LENGTH) {
                throw new AEADBadTagException("segment shorter than its tag");
            }
            setNonce(index, last);
            gcm.init(false, new AEADParameters(keyParam, TAG_LENGTH * 8, nonce));
            // BouncyCastle writes plaintext from processBytes before the tag is checked: it lands
            // only in out, which is zeroed below on failure and released by callers only on success.
            int n = gcm.processBytes(in, inOff, len, out, outOff);
            try {
                return n + gcm.doFinal(out, outOff + n);
            } catch (InvalidCipherTextException e) {
                Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
                gcm.reset();
                throw new AEADBadTagException("SM4-GCM tag mismatch");
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("segment cipher closed");
            }
        }

        @Override
        public void close() {
            closed = true;
            Arrays.fill(keyBytes, (byte) 0);
            Arrays.fill(keyParam.getKey(), (byte) 0);
        }
    }

    /**
     * A SecretKey whose bytes we can wipe ({@code SecretKeySpec#destroy} is not implemented on JDK 17).
     */
    static final class WipeableKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private final String algorithm;
        private volatile boolean destroyed;

        WipeableKey(byte[] bytes, String algorithm) {
            this.bytes = bytes;
            this.algorithm = algorithm;
        }

        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            if (destroyed) {
                throw new IllegalStateException("key destroyed");
            }
            return bytes.clone();
        }

        @Override
        public void destroy() {
            destroyed = true;
            Arrays.fill(bytes, (byte) 0);
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "WipeableKey[" + algorithm + ", redacted]";
        }
    }
}
