package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyCommandTest extends CliCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void soundTree_exitsZero_andCountsPlaintextSeparately() throws Exception {
        fx.storeEncrypted("aes256", "a", CliFixture.bytes(300_000, 1));
        fx.storeEncrypted("sm4", "dir/b", CliFixture.bytes(0, 2));
        fx.storeEncrypted("kms", "c", CliFixture.bytes(70_000, 3));
        fx.storePlain("plain", "d", "legacy".getBytes());

        CliFixture.Result r = fx.run("verify", fx.objects.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("verified 4 files: 3 ok, 1 plaintext (not encrypted), 0 bad");
    }

    @Test
    void flippedSegmentByte_isCaught_withTheReason_andExitStatusOne() throws Exception {
        Path good = fx.storeEncrypted("aes256", "good", CliFixture.bytes(200_000, 4));
        Path bad = fx.storeEncrypted("aes256", "bad", CliFixture.bytes(200_000, 5));
        flip(bad, 1024 + 70_000); // inside segment 1

        CliFixture.Result r = fx.run("verify", fx.objects.toString());

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(good + ": ok, 200000 B")
                .contains(bad + ": BAD SEGMENT_AUTHENTICATION_FAILED: segment 1 does not authenticate")
                .contains("1 ok, 0 plaintext (not encrypted), 1 bad");
    }

    @Test
    void flippedHeaderByte_truncationAndExtension_areEachReported() throws Exception {
        Path header = fx.storeEncrypted("aes256", "h", CliFixture.bytes(1000, 6));
        flip(header, 20); // inside the salt: the wrapped key no longer unwraps (bound to the salt)
        Path padding = fx.storeEncrypted("aes256", "p", CliFixture.bytes(1000, 7));
        flip(padding, 1024 - 40); // inside the zero padding
        Path truncated = fx.storeEncrypted("aes256", "t", CliFixture.bytes(200_000, 8));
        truncate(truncated, 1024 + 65_536 + 16);
        Path extended = fx.storeEncrypted("aes256", "e", CliFixture.bytes(1000, 9));
        Files.write(extended, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);

        List<JsonNode> lines = json(fx.run("--json", "verify", fx.objects.toString()));

        assertThat(reasonOf(lines, header)).isEqualTo("KEY");
        assertThat(reasonOf(lines, padding)).isEqualTo("MALFORMED_HEADER");
        assertThat(reasonOf(lines, truncated)).isEqualTo("SEGMENT_AUTHENTICATION_FAILED"); // cut at a boundary: last flag
        assertThat(reasonOf(lines, extended)).isIn("TRUNCATED", "SEGMENT_AUTHENTICATION_FAILED");
    }

    @Test
    void progress_goesToStderr_onlyWhenForced() throws Exception {
        fx.storeEncrypted("aes256", "a", CliFixture.bytes(100_000, 10));

        CliFixture.Result quiet = fx.run("verify", fx.objects.toString());
        CliFixture.Result forced = fx.run("--progress", "verify", fx.objects.toString());

        assertThat(quiet.err()).doesNotContain("files");
        assertThat(forced.err()).contains("100% 1/1 files");
        assertThat(forced.out()).doesNotContain("%");
    }

    private static String reasonOf(List<JsonNode> lines, Path f) {
        return lines.stream().filter(j -> f.toString().equals(j.path("file").asText())).findFirst().orElseThrow()
                .get("reason").asText();
    }

    static List<JsonNode> json(CliFixture.Result r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : r.lines()) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    static void flip(Path f, long pos) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x01);
        }
    }

    static void truncate(Path f, long len) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(len);
        }
    }
}
