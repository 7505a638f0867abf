package io.servletsse.crypto;

import java.util.zip.Checksum;

/**
 * CRC-64/ECMA-182 as Alibaba Cloud OSS computes it for {@code x-oss-hash-crc64ecma} (the reflected
 * form, a.k.a. CRC-64/XZ: polynomial 0xC96C5795D7870F42 reflected, init and xorout all ones;
 * check value of "123456789" is 0x995DC9BBDF1939FA). OSS prints the value as an unsigned decimal:
 * use {@link #toUnsignedString()}. Slicing-by-8 for speed; not thread-safe.
 */
public final class Crc64 implements Checksum {
    private static final long POLY = 0xC96C5795D7870F42L;
    private static final long[][] TABLE = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLE[0][n];
            for (int k = 1; k < 8; k++) {
                crc = TABLE[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLE[k][n] = crc;
            }
        }
    }

    /** The running CRC register, already pre- and post-inverted (i.e. the value so far). */
    private long value;

    public Crc64() {
        value = 0;
    }

    /** Continues from a CRC value computed earlier (e.g. one stored for the first part of an object). */
    public static Crc64 resume(long crc) {
        Crc64 c = new Crc64();
        c.value = crc;
        return c;
    }

    /** CRC of {@code buf[off, off+len)} continuing from {@code crc} (0 for a fresh start). */
    public static long update(long crc, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        long c = ~crc;
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            c ^= (buf[i] & 0xffL) | (buf[i + 1] & 0xffL) << 8 | (buf[i + 2] & 0xffL) << 16
                    | (buf[i + 3] & 0xffL) << 24 | (buf[i + 4] & 0xffL) << 32 | (buf[i + 5] & 0xffL) << 40
                    | (buf[i + 6] & 0xffL) << 48 | (buf[i + 7] & 0xffL) << 56;
            c = TABLE[7][(int) (c & 0xff)] ^ TABLE[6][(int) ((c >>> 8) & 0xff)]
                    ^ TABLE[5][(int) ((c >>> 16) & 0xff)] ^ TABLE[4][(int) ((c >>> 24) & 0xff)]
                    ^ TABLE[3][(int) ((c >>> 32) & 0xff)] ^ TABLE[2][(int) ((c >>> 40) & 0xff)]
                    ^ TABLE[1][(int) ((c >>> 48) & 0xff)] ^ TABLE[0][(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = TABLE[0][(int) ((c ^ buf[i]) & 0xff)] ^ (c >>> 8);
            i++;
        }
        return ~c;
    }

    @Override
    public void update(int b) {
        value = update(value, new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        value = update(value, b, off, len);
    }

    @Override
    public long getValue() {
        return value;
    }

    /** The value as OSS prints it in {@code x-oss-hash-crc64ecma}: unsigned decimal. */
    public String toUnsignedString() {
        return Long.toUnsignedString(value);
    }

    @Override
    public void reset() {
        value = 0;
    }

    /**
     * CRC of the concatenation A||B from {@code crcA}, {@code crcB} and B's length (zlib's
     * crc32_combine method over GF(2) matrices); what OSS does for multipart and append objects.
     */
    public static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (lengthB == 0) {
            return crcA;
        }
        long[] even = new long[64];
        long[] odd = new long[64];
        odd[0] = POLY; // operator for one zero bit
        long row = 1;
        for (int n = 1; n < 64; n++) {
            odd[n] = row;
            row <<= 1;
        }
        gf2MatrixSquare(even, odd); // two zero bits
        gf2MatrixSquare(odd, even); // four zero bits
        long crc1 = crcA;
        long len2 = lengthB;
        do {
            gf2MatrixSquare(even, odd);
            if ((len2 & 1) != 0) {
                crc1 = gf2MatrixTimes(even, crc1);
            }
            len2 >>>= 1;
            if (len2 == 0) {
                break;
            }
            gf2MatrixSquare(odd, even);
            if ((len2 & 1) != 0) {
                crc1 = gf2MatrixTimes(odd, crc1);
            }
            len2 >>>= 1;
        } while (len2 != 0);
        return crc1 ^ crcB;
    }

    private static long gf2MatrixTimes(long[] mat, long vec) {
        long sum = 0;
        int i = 0;
        while (vec != 0) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
            vec >>>= 1;
            i++;
        }
        return sum;
    }

    private static void gf2MatrixSquare(long[] square, long[] mat) {
        for (int n = 0; n < 64; n++) {
            square[n] = gf2MatrixTimes(mat, mat[n]);
        }
    }
}
