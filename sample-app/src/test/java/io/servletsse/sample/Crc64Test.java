package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Crc64Test {

    @Test
    void checkString_givesTheCatalogueCheckValue() {
        Crc64 crc = new Crc64();
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);

        crc.update(b, 0, b.length);

        assertThat(crc.value()).isEqualTo(0x995DC9BBDF1939FAL); // CRC-64/XZ (= OSS crc64ecma) check value
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 15, 16, 17, 64, 1000, 65537})
    void anyLengthFedInPieces_equalsTheBitwiseReference(int length) {
        byte[] data = Reference.random(length, length);
        Crc64 crc = new Crc64();

        int half = length / 2;
        crc.update(data, 0, half);
        crc.update(data, half, length - half);

        assertThat(crc.unsignedDecimal()).isEqualTo(Reference.crc64(data));
    }
}
