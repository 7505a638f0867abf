package io.servletsse.sample;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/** Reference values computed independently of the code under test. */
final class Reference {
    private Reference() {}

    /** CRC-64/ECMA-182 (reflected 0xC96C5795D7870F42, init/xorout all ones), bit by bit: no table, unlike Crc64. */
    static String crc64(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xC96C5795D7870F42L : crc >>> 1;
            }
        }
        return Long.toUnsignedString(~crc);
    }

    static byte[] md5(byte[] data) throws Exception {
        return MessageDigest.getInstance("MD5").digest(data);
    }

    static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(md5(data));
    }

    static String md5Base64(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(md5(data));
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
