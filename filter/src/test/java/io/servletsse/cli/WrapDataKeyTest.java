package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectHeader;
import io.servletsse.kms.KeyManager;
import io.servletsse.kms.KeyServices;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-service additions rewrap stands on: wrapping an existing data key (ServiceMasterKeys, KeyManager). */
class WrapDataKeyTest {
    @TempDir
    Path tmp;
    private CliFixture fx;
    private KeyServices keys;

    @BeforeEach
    void setUp() throws Exception {
        fx = new CliFixture(tmp);
        keys = fx.runtime().keys().services();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void masterKeyWrap_ofAnExistingKey_unwrapsToTheSameKey_onlyWithItsSalt() {
        byte[] salt = ObjectHeader.newSalt(CliFixture.RANDOM);
        DataKey dek = DataKey.generate(CliFixture.RANDOM);
        keys.serviceMasterKeys().rotate("SM4");
        keys.serviceMasterKeys().rotate("SM4");

        KeyEnvelope newest = keys.serviceMasterKeys().wrapDataKey("SM4", dek, salt);
        KeyEnvelope pinned = keys.serviceMasterKeys().wrapDataKey("SM4@v1", dek, salt);

        assertThat(newest.keyId()).isEqualTo("SM4@v2");
        assertThat(pinned.keyId()).isEqualTo("SM4@v1");
        assertThat(keys.decryptDataKey(newest, salt).sameKeyAs(dek)).isTrue();
        assertThat(keys.decryptDataKey(pinned, salt).sameKeyAs(dek)).isTrue();
        assertThatThrownBy(() -> keys.decryptDataKey(newest, ObjectHeader.newSalt(CliFixture.RANDOM)))
                .isInstanceOf(SseException.class);
        assertThatThrownBy(() -> keys.serviceMasterKeys().wrapDataKey("SM4@v7", dek, salt))
                .isInstanceOf(SseException.class).hasMessageContaining("not found");
    }

    @Test
    void cmkWrap_usesThePrimaryMaterialVersion_andRespectsKeyState() {
        byte[] salt = ObjectHeader.newSalt(CliFixture.RANDOM);
        DataKey dek = DataKey.generate(CliFixture.RANDOM);
        String cmk = keys.keyAdmin().createKey("wrap test").keyId();
        keys.keyAdmin().rotateKeyMaterial(cmk);

        KeyEnvelope e = keys.keyManager().wrapDataKey(cmk, dek, salt);

        assertThat(e.provider()).isEqualTo("kms");
        assertThat(e.keyId()).isEqualTo(cmk);
        assertThat(KeyManager.materialVersionOf(e)).isEqualTo(2);
        assertThat(keys.decryptDataKey(e, salt).sameKeyAs(dek)).isTrue();
        keys.keyAdmin().disableKey(cmk);
        assertThatThrownBy(() -> keys.keyManager().wrapDataKey(cmk, dek, salt))
                .isInstanceOfSatisfying(SseException.class, x -> assertThat(x.ossCode()).isEqualTo("Rejected.Disabled"));
    }

    @Test
    void materialVersionOf_isMinusOneForEnvelopesOfAnotherShape() {
        assertThat(KeyManager.materialVersionOf(new KeyEnvelope("sse-oss", "AES256@v1", "x", new byte[48]))).isEqualTo(-1);
        assertThat(KeyManager.materialVersionOf(new KeyEnvelope("kms", "k", "x", new byte[] {1, 0, 0}))).isEqualTo(-1);
    }
}
