package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file listed as regular that became a link or a FIFO before its turn is refused, never followed. */
class FileIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void aSymbolicLinkOrAFifoInTheFilesPlace_isRefused() throws Exception {
        Path object = Files.writeString(tmp.resolve("object"), "stored bytes");
        FileIdentity before = FileIdentity.of(object);
        Path secret = Files.writeString(tmp.resolve("elsewhere"), "not the tool's to read");
        Files.delete(object);
        Files.createSymbolicLink(object, secret);

        assertThatThrownBy(() -> FileIdentity.of(object)).isInstanceOf(IOException.class).hasMessageContaining("no longer a regular file");
        assertThatThrownBy(() -> before.stillMatches(object)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Probe.of(object)).isInstanceOf(IOException.class);

        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> FileIdentity.of(fifo)).isInstanceOf(IOException.class).hasMessageContaining("no longer a regular file");
    }
}
