package io.servletsse.sample;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/ECMA-182 as the Aliyun OSS SDK computes it for {@code x-oss-hash-crc64ecma}: reflected
 * polynomial 0xC96C5795D7870F42, initial value and final xor all ones. Check value of
 * "123456789" is 0x995DC9BBDF1939FA.
 *
 * <p>Slicing-by-8 (eight bytes per step through eight tables): about five times the speed of one
 * table lookup per byte, which matters because every upload is checksummed in line and this app
 * is the baseline the filter's overhead is measured against.
 */
final class Crc64 {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[][] T = tables();
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = 0; // the running value, already finalised (so an empty input gives 0)

    void update(byte[] b, int off, int len) {
        long c = ~crc;
        int i = off;
        int end = off + len;
        for (; end - i >= 8; i += 8) {
            c ^= (long) LONG_LE.get(b, i);
            c = T[7][(int) c & 0xff] ^ T[6][(int) (c >>> 8) & 0xff] ^ T[5][(int) (c >>> 16) & 0xff]
                    ^ T[4][(int) (c >>> 24) & 0xff] ^ T[3][(int) (c >>> 32) & 0xff] ^ T[2][(int) (c >>> 40) & 0xff]
                    ^ T[1][(int) (c >>> 48) & 0xff] ^ T[0][(int) (c >>> 56)];
        }
        for (; i < end; i++) {
            c = T[0][(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
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

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[0][n] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int n = 0; n < 256; n++) {
                t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][(int) (t[k - 1][n] & 0xff)];
            }
        }
        return t;
    }
}
