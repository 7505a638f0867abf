package io.servletsse.servlet;

import java.util.zip.Checksum;

/**
 * CRC-64/ECMA-182 as the OSS SDK computes {@code x-oss-hash-crc64ecma}: reflected polynomial
 * 0xC96C5795D7870F42, initial value and final xor all ones. Slicing-by-8 tables.
 */
final class Crc64 implements Checksum {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[][] TABLE = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            TABLE[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            long c = TABLE[0][n];
            for (int k = 1; k < 8; k++) {
                c = TABLE[0][(int) (c & 0xff)] ^ (c >>> 8);
                TABLE[k][n] = c;
            }
        }
    }

    private long crc = ~0L;

    @Override
    public void update(int b) {
        crc = TABLE[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        long c = crc;
        while (len >= 8) {
            c ^= (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24
                    | (b[off + 4] & 0xffL) << 32 | (b[off + 5] & 0xffL) << 40 | (b[off + 6] & 0xffL) << 48
                    | (b[off + 7] & 0xffL) << 56;
            c = TABLE[7][(int) (c & 0xff)] ^ TABLE[6][(int) ((c >>> 8) & 0xff)] ^ TABLE[5][(int) ((c >>> 16) & 0xff)]
                    ^ TABLE[4][(int) ((c >>> 24) & 0xff)] ^ TABLE[3][(int) ((c >>> 32) & 0xff)]
                    ^ TABLE[2][(int) ((c >>> 40) & 0xff)] ^ TABLE[1][(int) ((c >>> 48) & 0xff)]
                    ^ TABLE[0][(int) (c >>> 56)];
            off += 8;
            len -= 8;
        }
        while (len-- > 0) {
            c = TABLE[0][(int) ((c ^ b[off++]) & 0xff)] ^ (c >>> 8);
        }
        crc = c;
    }

    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = ~0L;
    }
}
