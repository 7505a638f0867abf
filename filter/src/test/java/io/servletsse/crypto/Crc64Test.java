package io.servletsse.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    /** Bit-at-a-time reference straight from the definition (reflected, init/xorout all ones). */
    private static long reference(byte[] b, int off, int len) {
        long crc = -1L;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xC96C5795D7870F42L : crc >>> 1;
            }
        }
        return ~crc;
    }

    @Test
    void checkString_matchesCatalogueCheckValue() {
        Crc64 c = new Crc64();
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        c.update(data, 0, data.length);
        assertThat(c.getValue()).isEqualTo(0x995DC9BBDF1939FAL);
        assertThat(c.toUnsignedString()).isEqualTo("11051210869376104954");
    }

    @Test
    void emptyInput_isZero() {
        assertThat(new Crc64().getValue()).isZero();
        assertThat(new Crc64().toUnsignedString()).isEqualTo("0");
    }

    @Test
    void slicedUpdate_matchesBitwiseReferenceAtEveryLengthAndOffset() {
        byte[] data = new byte[300];
        new Random(7).nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len + off <= data.length; len += 1 + len / 16) {
                assertThat(Crc64.update(0, data, off, len)).as("off %d len %d", off, len)
                        .isEqualTo(reference(data, off, len));
            }
        }
    }

    @Test
    void incrementalUpdates_equalOneShot() {
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        Crc64 c = new Crc64();
        int pos = 0;
        for (int step = 1; pos < data.length; step = step * 3 % 1001 + 1) {
            int n = Math.min(step, data.length - pos);
            c.update(data, pos, n);
            pos += n;
        }
        c.update(42);
        byte[] all = java.util.Arrays.copyOf(data, data.length + 1);
        all[data.length] = 42;
        assertThat(c.getValue()).isEqualTo(reference(all, 0, all.length));
    }

    @Test
    void combine_ofTwoParts_equalsCrcOfConcatenation() {
        byte[] data = new byte[5000];
        new Random(3).nextBytes(data);
        for (int split : new int[] {0, 1, 7, 8, 999, 4999, 5000}) {
            long a = Crc64.update(0, data, 0, split);
            long b = Crc64.update(0, data, split, data.length - split);
            assertThat(Crc64.combine(a, b, data.length - split)).as("split %d", split)
                    .isEqualTo(reference(data, 0, data.length));
        }
        assertThat(Crc64.resume(Crc64.update(0, data, 0, 10)).getValue()).isEqualTo(reference(data, 0, 10));
    }
}
