package io.servletsse.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a stream through one fixed buffer while computing what the service reports about the
 * bytes: length, MD5 (ETag, Content-MD5 check) and CRC-64/ECMA. Memory stays constant whatever
 * the size.
 */
final class DigestingCopy {
    static final int BUFFER_SIZE = 64 * 1024;

    private final MessageDigest md5;
    private final Crc64 crc = new Crc64();
    private long length;

    DigestingCopy() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has MD5", e);
        }
    }

    DigestingCopy copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER_SIZE];
        for (int n; (n = in.read(buf)) >= 0; ) {
            update(buf, n);
            out.write(buf, 0, n);
        }
        return this;
    }

    /** Digests without copying (recomputing a lost sidecar). */
    DigestingCopy digest(InputStream in) throws IOException {
        return copy(in, OutputStream.nullOutputStream());
    }

    private void update(byte[] buf, int n) {
        md5.update(buf, 0, n);
        crc.update(buf, 0, n);
        length += n;
    }

    long length() {
        return length;
    }

    /** Raw MD5, valid once after the copy (the digest resets). */
    byte[] md5() {
        return md5.digest();
    }

    String crc64() {
        return crc.unsignedDecimal();
    }

    static String hex(byte[] md5) {
        return HexFormat.of().withUpperCase().formatHex(md5);
    }
}
