package io.servletsse.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DataKeyTest {
    @Test
    void toString_isRedacted_andDestroyWipesTheBytes() {
        DataKey k = DataKey.generate(new SecureRandom());
        byte[] bytes = k.reveal(SecretAccess.grant());
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(k.toString()).isEqualTo("DataKey[redacted]").doesNotContain(hex.substring(0, 8));
        DataKey copy = k.copy();
        k.destroy();
        assertThat(bytes).containsOnly(0);
        assertThat(k.isDestroyed()).isTrue();
        assertThatThrownBy(() -> k.reveal(SecretAccess.grant())).isInstanceOf(IllegalStateException.class);
        assertThat(HexFormat.of().formatHex(copy.reveal(SecretAccess.grant()))).isEqualTo(hex);
    }

    @Test
    void copyOf_wrongLength_isRejected_andSameKeyAsComparesBytes() {
        assertThatThrownBy(() -> DataKey.copyOf(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        byte[] raw = new byte[32];
        raw[3] = 9;
        try (DataKey a = DataKey.copyOf(raw); DataKey b = DataKey.copyOf(raw); DataKey c = DataKey.copyOf(new byte[32])) {
            assertThat(a.sameKeyAs(b)).isTrue();
            assertThat(a.sameKeyAs(c)).isFalse();
        }
    }

    @Test
    void segmentCipher_afterClose_refusesToWork() {
        SegmentCipher sm4 = SegmentCipher.create(ContentAlgorithm.SM4_GCM, new byte[16]);
        sm4.close();
        assertThatThrownBy(() -> sm4.seal(0, true, new byte[1], 0, 1, new byte[17], 0))
                .isInstanceOf(IllegalStateException.class);
        SegmentCipher aes = SegmentCipher.create(ContentAlgorithm.AES_256_GCM, new byte[32]);
        aes.close();
        assertThatThrownBy(() -> aes.seal(0, true, new byte[1], 0, 1, new byte[17], 0))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> SegmentCipher.create(ContentAlgorithm.AES_256_GCM, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentCipher.create(ContentAlgorithm.NONE, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
