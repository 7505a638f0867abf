package io.servletsse.sample;

/**
 * CRC-64/ECMA-182 as the Aliyun OSS SDK computes it for {@code x-oss-hash-crc64ecma}: reflected
 * polynomial 0xC96C5795D7870F42, initial value and final xor all ones. Check value of
 * "123456789" is 0x995DC9BBDF1939FA. Table-driven (one lookup per byte).
 */
final class Crc64 {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[] TABLE = table();

    private long crc = 0; // the running value, already finalised (so an empty input gives 0)

    void update(byte[] b, int off, int len) {
        long c = ~crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = ~c;
    }

    long value() {
        return crc;
    }

    /** The header form: unsigned decimal, which the SDK parses with {@code new BigInteger(v)}. */
    String unsignedDecimal() {
        return Long.toUnsignedString(crc);
    }

    private static long[] table() {
        long[] t = new long[256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[n] = c;
        }
        return t;
    }
}
