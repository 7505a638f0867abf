package io.servletsse.kms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the key tests: salts, and looking for key bytes inside files. */
final class KeyTestSupport {
    static final SecureRandom RANDOM = new SecureRandom();

    private KeyTestSupport() {}

    static byte[] salt() {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return s;
    }

    static List<Path> regularFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if {@code needle} occurs in {@code file} as raw bytes, or as base64 or hex text. */
    static boolean fileContains(Path file, byte[] needle) {
        try {
            byte[] hay = Files.readAllBytes(file);
            return indexOf(hay, needle) >= 0
                    || indexOf(hay, java.util.Base64.getEncoder().encode(needle)) >= 0
                    || indexOf(hay, java.util.HexFormat.of().formatHex(needle).getBytes()) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
