package io.servletsse.kms;

import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * GetParametersForImport's answer (BYOK): wrap the 32-byte key material with {@code publicKey} using
 * {@value #WRAPPING_ALGORITHM} (RSA-OAEP, SHA-256 for both the hash and MGF1) and pass it with
 * {@code importToken} to {@link KeyAdmin#importKeyMaterial} before {@code tokenExpiry}.
 *
 * <p>The import token is not secret by itself (it names the wrapping key pair held in memory), but
 * it is redacted from {@link #toString()} all the same: it should not end up in access logs.
 */
public record ImportParameters(String keyId, String importToken, RSAPublicKey publicKey, Instant tokenExpiry) {
    public static final String WRAPPING_ALGORITHM = "RSAES_OAEP_SHA_256";
    public static final String WRAPPING_KEY_SPEC = "RSA_2048";

    public ImportParameters {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(importToken, "importToken");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(tokenExpiry, "tokenExpiry");
    }

    @Override
    public String toString() {
        return "ImportParameters[keyId=" + keyId + ", importToken=redacted, publicKey=RSA-"
                + publicKey.getModulus().bitLength() + ", tokenExpiry=" + tokenExpiry + "]";
    }
}
