package io.servletsse.kms;

import io.servletsse.error.OssErrors;
import io.servletsse.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One key, sealed under the root key, in one file written once (first writer wins). Layout,
 * big-endian: {@code "SSEKEYF1" | u8 len | kind | u8 len | id | u32 version | i64 createdEpochMillis |
 * u16 len | RootKey.seal(key, aad = every byte before it)}; at most {@value #MAX_FILE} bytes. The kind,
 * id and version inside must match what the caller expects, so a file copied or renamed onto another
 * key's name is refused.
 */
final class SealedKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(SealedKeyFile.class);
    private static final byte[] MAGIC = "SSEKEYF1".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_FILE = 512;

    private SealedKeyFile() {}

    /** Writes the file if it does not exist yet; false if it did (someone else's key is kept). */
    static boolean create(Path file, RootKey root, String kind, String id, int version, Instant created, byte[] key,
            SecureRandom random) throws IOException {
        byte[] header = header(kind, id, version, created);
        byte[] sealed = root.seal(key, header, random);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.write(header);
        out.writeShort(sealed.length);
        out.write(sealed);
        AtomicFiles.ensurePrivateDirectory(file.toAbsolutePath().getParent());
        return AtomicFiles.createSecret(file, bo.toByteArray());
    }

    /** The key bytes (caller wipes), or {@code null} if the file does not exist. 500 if it is corrupt. */
    static byte[] read(Path file, RootKey root, String kind, String id, int version) throws IOException {
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = in.readNBytes(MAX_FILE + 1);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            if (b.length > MAX_FILE) {
                throw corrupt(file);
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            byte[] magic = new byte[MAGIC.length];
            buf.get(magic);
            byte[] k = new byte[buf.get() & 0xff];
            buf.get(k);
            byte[] i = new byte[buf.get() & 0xff];
            buf.get(i);
            int v = buf.getInt();
            buf.getLong();
            int headerLength = buf.position();
            if (!Arrays.equals(magic, MAGIC) || !kind.equals(new String(k, StandardCharsets.UTF_8))
                    || !id.equals(new String(i, StandardCharsets.UTF_8)) || v != version) {
                throw corrupt(file);
            }
            byte[] sealed = new byte[buf.getShort() & 0xffff];
            buf.get(sealed);
            if (buf.hasRemaining()) {
                throw corrupt(file);
            }
            try {
                return root.open(sealed, Arrays.copyOf(b, headerLength), "key file " + file);
            } catch (io.servletsse.error.SseException e) {
                LOG.error(e.getMessage());
                throw OssErrors.internal("The key store could not open a key.", null);
            }
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw corrupt(file);
        }
    }

    private static byte[] header(String kind, String id, int version, Instant created) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.write(MAGIC);
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        byte[] i = id.getBytes(StandardCharsets.UTF_8);
        if (k.length > 255 || i.length > 255) {
            throw new IllegalArgumentException("kind or id too long");
        }
        out.writeByte(k.length);
        out.write(k);
        out.writeByte(i.length);
        out.write(i);
        out.writeInt(version);
        out.writeLong(created.toEpochMilli());
        return bo.toByteArray();
    }

    private static io.servletsse.error.SseException corrupt(Path file) {
        LOG.error("Key file {} is malformed or belongs to another key", file);
        return OssErrors.internal("The key store could not open a key.", null);
    }
}
