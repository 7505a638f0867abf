package io.servletsse.kms;

import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CMK material inside a PKCS#11 token through the JDK's SunPKCS11 provider, configured at run time
 * ({@code Security.getProvider("SunPKCS11").configure("--...")}; it is never added to the global
 * provider list, so it serves only this class).
 *
 * <ul>
 *   <li>Each material version is an AES-256 token object labelled {@code servlet-sse/<keyId>/v<N>},
 *       generated inside the token with {@code CKA_SENSITIVE=true, CKA_EXTRACTABLE=false} (the
 *       configuration's attribute template also applies to imported BYOK material). The bytes never
 *       leave the token.</li>
 *   <li>Wrap ({@value #WRAP}): {@code iv(12, random) || AES-256-GCM(cmk, iv, key, aad || 0 || context)}
 *       computed inside the token (CKM_AES_GCM). AES-KW is not used: it does not work with SoftHSM2 and the
 *       JDK 17 provider. Random IVs bound a material version to about 2^32 wraps (NIST SP 800-38D 8.3),
 *       which bucket keys keep far away; rotate material well before that.</li>
 *   <li>Metadata (state, aliases, versions) stays in the key manager's {@code keys.json}, not in the
 *       token: nodes sharing the HSM must share that directory too.</li>
 *   <li>The token is opened lazily and re-opened after a failure, so a missing library or a removed
 *       token is a 503 ServiceUnavailable on the call that needs it, and service resumes by itself when
 *       the token is back.</li>
 * </ul>
 */
final class Pkcs11MaterialBackend implements MaterialBackend {
    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11MaterialBackend.class);
    static final String PROVIDER = "pkcs11";
    static final String WRAP = "pkcs11/aes-256-gcm/v1";
    private static final String LABEL_PREFIX = "servlet-sse/";

    private final Pkcs11Options options;
    private final SecureRandom random;
    private final Object lock = new Object();
    private volatile Token token;

    /** An open token: the provider instance and its logged-in key store. */
    private record Token(Provider provider, KeyStore keyStore, Map<String, Key> keys) {}

    Pkcs11MaterialBackend(Pkcs11Options options, SecureRandom random) {
        this.options = options;
        this.random = random;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public String wrapAlgorithm() {
        return WRAP;
    }

    private Token token() {
        Token t = token;
        if (t != null) {
            return t;
        }
        synchronized (lock) {
            if (token == null) {
                token = open();
            }
            return token;
        }
    }

    private Token open() {
        StringBuilder cfg = new StringBuilder("--name=servlet-sse\n");
        cfg.append("library=").append(options.library()).append('\n');
        if (options.slot() != null) {
            cfg.append("slot=").append(options.slot()).append('\n');
        } else {
            cfg.append("slotListIndex=0\n");
        }
        // Keys made or imported through this provider stay inside the token.
        cfg.append("attributes(*,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
        char[] pin = options.pin();
        try {
            Provider p = Security.getProvider("SunPKCS11").configure(cfg.toString());
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            LOG.info("Opened PKCS#11 token ({})", options);
            return new Token(p, ks, new ConcurrentHashMap<>());
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            LOG.error("Cannot open PKCS#11 token ({})", options, e);
            throw unavailable();
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static SseException unavailable() {
        return OssErrors.keyServiceUnavailable("The hardware security module is unavailable.", null);
    }

    /** Forgets the open token so the next call reconnects, and reports 503. */
    private SseException lost(Token t, Exception e) {
        LOG.error("PKCS#11 token failed; will reconnect on the next call", e);
        synchronized (lock) {
            if (token == t) {
                token = null;
            }
        }
        return unavailable();
    }

    private static String label(String keyId, int version) {
        return LABEL_PREFIX + KeyIds.requireKeyId(keyId) + "/v" + version;
    }

    @Override
    public void createMaterial(String keyId, int version) {
        Token t = token();
        String label = label(keyId, version);
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES", t.provider());
            g.init(256, random);
            SecretKey k = g.generateKey();
            synchronized (t.keyStore()) {
                if (t.keyStore().containsAlias(label)) {
                    LOG.warn("PKCS#11 key {} already existed; keeping it", label);
                    return;
                }
                t.keyStore().setKeyEntry(label, k, null, null);
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    @Override
    public void importMaterial(String keyId, int version, byte[] material) {
        Token t = token();
        String label = label(keyId, version);
        try {
            synchronized (t.keyStore()) {
                if (t.keyStore().containsAlias(label)) {
                    throw KmsErrors.stateModifiedFailed("The key already has key material.");
                }
                // The provider's attribute template makes the stored object sensitive and unextractable.
                t.keyStore().setEntry(label, new KeyStore.SecretKeyEntry(new SecretKeySpec(material, "AES")), null);
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    /** The key object for a version of a CMK; the token it came from is {@code holder[0]}. */
    private Key key(Token[] holder, String keyId, int version) {
        String label = label(keyId, version);
        for (int attempt = 0; ; attempt++) {
            Token t = holder[0];
            Key k = t.keys().get(label);
            if (k != null) {
                return k;
            }
            try {
                synchronized (t.keyStore()) {
                    k = t.keyStore().getKey(label, null);
                }
            } catch (GeneralSecurityException | ProviderException e) {
                throw lost(t, e);
            }
            if (k != null) {
                t.keys().put(label, k);
                return k;
            }
            if (attempt > 0) {
                LOG.error("PKCS#11 key {} is not in the token", label);
                throw OssErrors.internal("The key store could not open a key.", null);
            }
            // A removed or replaced token also answers "no such key": reconnect once before believing it.
            synchronized (lock) {
                if (token == t) {
                    token = null;
                }
            }
            holder[0] = token();
        }
    }

    @Override
    public byte[] seal(String keyId, int version, byte[] plaintext, byte[] context, byte[] aad) {
        Token[] holder = {token()};
        Key k = key(holder, keyId, version);
        Token t = holder[0];
        byte[] iv = new byte[WrapCipher.NONCE_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", t.provider());
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(WrapCipher.TAG_LENGTH * 8, iv));
            c.updateAAD(boundAad(aad, context));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, iv.length + ct.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return out;
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    @Override
    public byte[] open(String keyId, int version, byte[] ciphertext, byte[] context, byte[] aad) {
        if (ciphertext.length < WrapCipher.NONCE_LENGTH + WrapCipher.TAG_LENGTH) {
            return null;
        }
        Token[] holder = {token()};
        Key k = key(holder, keyId, version);
        Token t = holder[0];
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", t.provider());
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(WrapCipher.TAG_LENGTH * 8, ciphertext, 0,
                    WrapCipher.NONCE_LENGTH));
            c.updateAAD(boundAad(aad, context));
            return c.doFinal(ciphertext, WrapCipher.NONCE_LENGTH, ciphertext.length - WrapCipher.NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            return null; // wrong context or tampered: the token answered, the input is bad
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    private static byte[] boundAad(byte[] aad, byte[] context) {
        byte[] out = Arrays.copyOf(aad, aad.length + 1 + context.length);
        System.arraycopy(context, 0, out, aad.length + 1, context.length);
        return out;
    }

    @Override
    public void destroyMaterial(String keyId) {
        Token t = token();
        String prefix = LABEL_PREFIX + KeyIds.requireKeyId(keyId) + "/";
        try {
            synchronized (t.keyStore()) {
                List<String> labels = new ArrayList<>();
                for (String a : Collections.list(t.keyStore().aliases())) {
                    if (a.startsWith(prefix)) {
                        labels.add(a);
                    }
                }
                for (String a : labels) {
                    t.keyStore().deleteEntry(a);
                    t.keys().remove(a);
                }
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    /** Labels of this project's objects in the token (tests and operators). */
    List<String> labels() {
        Token t = token();
        try {
            synchronized (t.keyStore()) {
                List<String> out = new ArrayList<>();
                for (String a : Collections.list(t.keyStore().aliases())) {
                    if (a.startsWith(LABEL_PREFIX)) {
                        out.add(a);
                    }
                }
                Collections.sort(out);
                return out;
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw lost(t, e);
        }
    }

    /** Test hook: the token's key object (to check it is sensitive and unextractable). */
    Key keyObject(String keyId, int version) {
        return key(new Token[] {token()}, keyId, version);
    }

    @Override
    public void close() {
        synchronized (lock) {
            token = null; // the module stays loaded (SunPKCS11 cannot unload it); handles are dropped
        }
        options.destroyPin();
    }
}
