package io.servletsse.cli;

import io.servletsse.crypto.Crc64;
import io.servletsse.engine.SseRuntime;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.SegmentDigests;
import io.servletsse.policy.EncryptionRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CheckedOutputStream;

/**
 * Encrypts plaintext into a new stored object exactly as the filter does on upload (same runtime, same
 * rule, same header), streamed into an {@link AtomicOutput}. Before the caller commits, the written
 * object is read back, authenticated and compared (SHA-256 of the plaintext) with what was read: a
 * plaintext original is only ever replaced by an object proven to decrypt to it.
 */
final class ObjectWriter {
    private ObjectWriter() {}

    /** What was written: the stored length, MD5 (upper-case hex, as the sample app) and CRC-64 of the stored bytes. */
    record Written(long storedLength, long plaintextLength, String md5Hex, String crc64, ObjectHeader header) {}

    static Written encrypt(SseRuntime rt, EncryptionRule rule, String bucket, InputStream plaintext, long plaintextLength,
            AtomicOutput out, Progress progress) throws IOException {
        SseRuntime.Upload up = rt.planUpload(rule, bucket, plaintextLength);
        try {
            MessageDigest plainSha = sha256();
            MessageDigest storedMd5 = md5();
            Crc64 crc = new Crc64();
            long plainLen;
            long stored;
            // The plaintext's SHA-256 is taken segment by segment on the runtime's digest workers
            // while this thread seals the next segment (and digests and writes the stored bytes).
            SegmentDigests plainDigest = new SegmentDigests(rt.digestExecutor(), plainSha::update);
            try (InputStream enc = ObjectCrypto.encryptingStream(up.header(), up.dataKey(), plaintext, plainDigest)) {
                OutputStream sink = new CheckedOutputStream(new DigestOutputStream(out.stream(), storedMd5), crc);
                byte[] buf = new byte[1 << 16];
                stored = 0;
                for (int n; (n = enc.read(buf)) > 0; ) {
                    sink.write(buf, 0, n);
                    stored += n;
                    progress.bytes(n);
                }
                sink.flush();
            }
            plainLen = up.header().plaintextLength(stored);
            if (plaintextLength >= 0 && plainLen != plaintextLength) {
                throw new IOException("read " + plainLen + " bytes, expected " + plaintextLength + " (the file changed)");
            }
            out.sync();
            byte[] expected = plainSha.digest();
            checkReadsBack(out, up, expected, plainLen);
            return new Written(stored, plainLen, HexFormat.of().withUpperCase().formatHex(storedMd5.digest()),
                    crc.toUnsignedString(), up.header());
        } finally {
            up.dataKey().destroy();
        }
    }

    private static void checkReadsBack(AtomicOutput out, SseRuntime.Upload up, byte[] expectedSha, long plainLen)
            throws IOException {
        try (FileChannel ch = FileChannel.open(out.temp(), StandardOpenOption.READ)) {
            InputStream raw = Channels.newInputStream(ch);
            ObjectHeader h = ObjectHeader.read(raw);
            MessageDigest sha = sha256();
            long n;
            try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(h, up.dataKey());
                    InputStream in = d.decryptingStream(raw, ch.size())) {
                n = in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
            }
            if (n != plainLen || !MessageDigest.isEqual(sha.digest(), expectedSha)) {
                throw new IOException("the encrypted copy does not read back to the original; nothing replaced");
            }
        }
    }

    static MessageDigest sha256() {
        return digest("SHA-256");
    }

    static MessageDigest md5() {
        return digest("MD5");
    }

    private static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
