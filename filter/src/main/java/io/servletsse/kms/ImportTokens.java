package io.servletsse.kms;

import io.servletsse.error.OssErrors;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * BYOK import tokens (GetParametersForImport / ImportKeyMaterial): an RSA-2048 key pair per token,
 * kept in memory only (a restart invalidates open tokens: ask for new parameters), for the token's
 * lifetime. Tokens are looked up by their SHA-256, so the lookup leaks nothing about a token's bytes.
 * A token is used up by the successful import.
 */
final class ImportTokens {
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private record Open(String keyId, PrivateKey privateKey, Instant expiry) {
        @Override
        public String toString() {
            return "ImportToken[" + keyId + ", private key redacted, expires " + expiry + "]";
        }
    }

    private final Clock clock;
    private final SecureRandom random;
    private final int max;
    private final Map<String, Open> open = new HashMap<>();

    ImportTokens(Clock clock, SecureRandom random, int max) {
        this.clock = clock;
        this.random = random;
        this.max = max;
    }

    synchronized ImportParameters issue(String keyId, Duration lifetime) {
        Instant now = clock.instant();
        open.values().removeIf(o -> !now.isBefore(o.expiry()));
        if (open.size() >= max) {
            throw OssErrors.keyServiceUnavailable("Too many key imports are in progress; retry later.", null);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, random);
            KeyPair kp = g.generateKeyPair();
            byte[] t = new byte[32];
            random.nextBytes(t);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
            Instant expiry = now.plus(lifetime);
            open.put(hash(token), new Open(keyId, kp.getPrivate(), expiry));
            return new ImportParameters(keyId, token, (RSAPublicKey) kp.getPublic(), expiry);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA unavailable", e);
        }
    }

    /** The unwrapped 32-byte material (caller wipes); 400 for a bad or expired token or bad material. */
    synchronized byte[] redeem(String keyId, String token, byte[] encrypted) {
        if (token == null || token.length() > 256) {
            throw KmsErrors.invalidImportToken();
        }
        String h = hash(token);
        Open o = open.get(h);
        if (o == null || !o.keyId().equals(keyId)) {
            throw KmsErrors.invalidImportToken();
        }
        if (!clock.instant().isBefore(o.expiry())) {
            open.remove(h);
            throw KmsErrors.invalidImportToken();
        }
        if (encrypted.length != 256) { // RSA-2048 ciphertext
            throw KmsErrors.invalidKeyMaterial();
        }
        byte[] material;
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, o.privateKey(), OAEP_SHA256);
            material = c.doFinal(encrypted);
        } catch (GeneralSecurityException e) {
            throw KmsErrors.invalidKeyMaterial();
        }
        if (material.length != 32) {
            Arrays.fill(material, (byte) 0);
            throw KmsErrors.invalidKeyMaterial();
        }
        open.remove(h);
        return material;
    }

    synchronized void clear() {
        open.clear();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
