package io.servletsse.kms;

import io.servletsse.crypto.Jca;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The two AEADs used to wrap keys: AES-256-GCM (SunJCE) and SM4-GCM (BouncyCastle lightweight API,
 * no provider registration). 128-bit tags. {@link #open} returns {@code null} when authentication
 * fails, so callers cannot forget to map that case.
 */
enum WrapCipher {
    AES_256_GCM(32),
    SM4_GCM(16);

    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;

    private final int keyLength;

    WrapCipher(int keyLength) {
        this.keyLength = keyLength;
    }

    int keyLength() {
        return keyLength;
    }

    byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
        check(key, nonce);
        try {
            return gcm(true, key, nonce, plaintext, aad);
        } catch (GeneralSecurityException | InvalidCipherTextException e) {
            throw new IllegalStateException("key wrap cipher failed", e);
        }
    }

    /** The plaintext, or {@code null} if the ciphertext, nonce, key or AAD do not match. */
    byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad) {
        check(key, nonce);
        if (ciphertext.length < TAG_LENGTH) {
            return null;
        }
        try {
            return gcm(false, key, nonce, ciphertext, aad);
        } catch (AEADBadTagException | InvalidCipherTextException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key wrap cipher failed", e);
        }
    }

    /** One whole GCM seal or open: SunJCE for AES, the BouncyCastle lightweight API for SM4. */
    private byte[] gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] input, byte[] aad)
            throws GeneralSecurityException, InvalidCipherTextException {
        if (this == AES_256_GCM) {
            Cipher c = Jca.aesGcm();
            c.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        }
        GCMModeCipher g = sm4(encrypt, key, nonce, aad);
        byte[] out = new byte[g.getOutputSize(input.length)];
        int n = g.processBytes(input, 0, input.length, out, 0);
        g.doFinal(out, n);
        return out;
    }

    private void check(byte[] key, byte[] nonce) {
        if (key.length != keyLength || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("bad wrap key or nonce length");
        }
    }

    private static GCMModeCipher sm4(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        GCMModeCipher g = GCMBlockCipher.newInstance(new SM4Engine());
        g.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, aad));
        return g;
    }
}
