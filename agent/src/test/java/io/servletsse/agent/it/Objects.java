package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Test objects and what the disk must (not) hold. */
final class Objects {
    /** The format's magic: every encrypted object begins with these bytes (docs/FORMAT.md). */
    static final byte[] MAGIC = {(byte) 0x89, 0x53, 0x45, 0x46};

    private Objects() {}

    /** Random bytes; a fixed seed per test keeps failures reproducible. */
    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The stored file is an encrypted object: magic first, and no 64-byte run of the plaintext anywhere. */
    static void assertEncryptedOnDisk(Path stored, byte[] plaintext) throws IOException {
        assertThat(stored).exists();
        byte[] disk = Files.readAllBytes(stored);
        assertThat(Arrays.copyOf(disk, MAGIC.length)).as("magic of %s", stored).containsExactly(MAGIC);
        assertThat(disk.length).isGreaterThan(plaintext.length);
        for (int off = 0; off + 64 <= plaintext.length; off += Math.max(64, plaintext.length / 16)) {
            byte[] run = Arrays.copyOfRange(plaintext, off, off + 64);
            assertThat(indexOf(disk, run)).as("plaintext at offset %d found on disk", off).isEqualTo(-1);
        }
    }

    /** The stored file is exactly the plaintext (a None bucket, or the agent deliberately off). */
    static void assertPlainOnDisk(Path stored, byte[] plaintext) throws IOException {
        assertThat(stored).exists();
        assertThat(Files.readAllBytes(stored)).isEqualTo(plaintext);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
