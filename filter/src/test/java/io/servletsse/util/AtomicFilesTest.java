package io.servletsse.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void privateDirectory_everyCreatedLevelIsOwnerOnly_existingParentsUntouched() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deep = tmp.resolve("a/b/c");
        AtomicFiles.ensurePrivateDirectory(deep);
        for (Path p : new Path[] {tmp.resolve("a"), tmp.resolve("a/b"), deep}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp))).isEqualTo("rwxr-xr-x");
        AtomicFiles.ensurePrivateDirectory(deep); // idempotent
    }

    @Test
    void secretFile_isOwnerOnly_andReplacedWhole() throws Exception {
        Path f = tmp.resolve("k/secret.key");
        AtomicFiles.writeSecret(f, new byte[] {1, 2, 3});
        AtomicFiles.writeSecret(f, new byte[] {4, 5});
        assertThat(Files.readAllBytes(f)).containsExactly(4, 5);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(AtomicFiles.createSecret(f, new byte[] {9})).as("never overwrites").isFalse();
        assertThat(Files.readAllBytes(f)).containsExactly(4, 5);
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret.key"); // no temp files left
        }
    }
}
