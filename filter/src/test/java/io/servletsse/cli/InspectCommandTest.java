package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servletsse.format.ObjectHeader;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectCommandTest extends CliCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void encryptedObject_showsAlgorithmKeySegmentSizeAndPlaintextLength() {
        Path f = fx.storeEncrypted("aes256", "report.txt", CliFixture.bytes(200_000, 1));

        CliFixture.Result r = fx.run("inspect", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(f + ": encrypted, AES-256-GCM (SSE AES256), key sse-oss AES256@v1, segment 65536 B, "
                + "header 1024 B, plaintext 200000 B");
    }

    @Test
    void kmsObjects_showTheCmkIdMaterialVersionAndSm4DataEncryption() throws Exception {
        Path f = fx.storeEncrypted("kms-sm4", "a", CliFixture.bytes(10, 2));
        String cmk = CliFixture.header(f).keyEnvelope().keyId();

        JsonNode j = JSON.readTree(fx.run("--json", "inspect", f.toString()).out());

        assertThat(j.get("kind").asText()).isEqualTo("encrypted");
        assertThat(j.get("algorithm").asText()).isEqualTo("SM4-GCM");
        assertThat(j.get("sse").asText()).isEqualTo("KMS");
        assertThat(j.get("dataEncryption").asText()).isEqualTo("SM4");
        assertThat(j.get("provider").asText()).isEqualTo("kms");
        assertThat(j.get("keyId").asText()).isEqualTo(cmk).matches("[0-9a-f-]{36}");
        assertThat(j.get("materialVersion").asInt()).isEqualTo(1);
        assertThat(j.get("plaintextLength").asLong()).isEqualTo(10);
    }

    @Test
    void plaintextAndMalformedFiles_areToldApart_andMalformedIsAFinding() throws Exception {
        Path plain = fx.storePlain("plain", "old.txt", "stored before encryption".getBytes());
        byte[] fake = new byte[100];
        System.arraycopy(ObjectHeader.magic(), 0, fake, 0, 4);
        Path bad = fx.storePlain("plain", "fake.bin", fake);

        CliFixture.Result r = fx.run("inspect", plain.toString(), bad.toString());

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(plain + ": not in the format (plaintext, 24 B)")
                .contains(bad + ": begins with the format's magic but has no valid header");
    }

    @Test
    void aFileNameWithANewline_cannotForgeAReportLine() throws Exception {
        Path f = fx.storePlain("plain", "evil\nfake.txt: encrypted, AES-256-GCM", "x".getBytes());

        CliFixture.Result r = fx.run("inspect", f.toString());

        assertThat(r.lines()).hasSize(1);
        assertThat(r.out()).contains("evil?fake.txt");
    }

    @Test
    void inspect_needsNoConfiguration_andNeverPrintsTheWrappedKey() throws Exception {
        Path f = fx.storeEncrypted("aes256", "x", CliFixture.bytes(5, 3));
        byte[] wrapped = CliFixture.header(f).keyEnvelope().wrapped();

        CliFixture.Result r = CliFixture.runWith(Map.of(), "--json", "inspect", f.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain(HexFormat.of().formatHex(wrapped))
                .doesNotContain(Base64.getEncoder().encodeToString(wrapped)).doesNotContain("wrapped\"");
    }
}
