package io.servletsse.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/FORMAT.md, byte for byte, in both directions: encrypting the inputs gives
 * exactly the ciphertext, and the ciphertext decrypts to exactly the plaintext. The vectors live in
 * a test resource and in the doc; a test also checks the two copies agree.
 */
class FormatVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static List<Map<String, String>> vectors() throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        try (InputStream in = FormatVectorsTest.class.getResourceAsStream("format-vectors.txt")) {
            assertThat(in).as("format-vectors.txt").isNotNull();
            Map<String, String> cur = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    if (!cur.isEmpty()) {
                        out.add(cur);
                        cur = new LinkedHashMap<>();
                    }
                    continue;
                }
                int colon = line.indexOf(": ");
                String k = colon < 0 ? line.substring(0, line.length() - 1) : line.substring(0, colon);
                cur.put(k, colon < 0 ? "" : line.substring(colon + 2));
            }
            if (!cur.isEmpty()) {
                out.add(cur);
            }
        }
        return out;
    }

    @Test
    void vectors_encryptToExactCiphertext_andDecryptBack() throws IOException {
        List<Map<String, String>> vs = vectors();
        assertThat(vs).hasSize(4);
        for (Map<String, String> v : vs) {
            byte[] pt = HEX.parseHex(v.get("plaintext"));
            byte[] ct = HEX.parseHex(v.get("ciphertext"));
            ContentAlgorithm alg = ContentAlgorithm.valueOf(v.get("algorithm"));
            ObjectHeader h;
            DataKey key;
            if (alg == ContentAlgorithm.NONE) {
                h = ObjectHeader.plainEnvelope();
                key = null;
            } else {
                KeyEnvelope env = new KeyEnvelope(v.get("provider"), v.get("key_id"), v.get("wrap_algorithm"),
                        HEX.parseHex(v.get("wrapped")));
                byte[] salt = HEX.parseHex(v.get("salt"));
                h = ObjectHeader.create(alg, Integer.parseInt(v.get("segment_size")), salt, env,
                        Integer.parseInt(v.get("header_length")));
                key = DataKey.copyOf(HEX.parseHex(v.get("dek")));
                assertThat(HEX.formatHex(ObjectKeys.contentKey(key, salt, alg, 12))).isEqualTo(v.get("content_key"));
                assertThat(HEX.formatHex(ObjectKeys.headerMacKey(key, salt))).isEqualTo(v.get("header_mac_key"));
            }
            assertThat(HEX.formatHex(FormatTestSupport.encrypt(h, key, pt))).as("vector %s", v.get("name"))
                    .isEqualTo(v.get("ciphertext"));

            ObjectHeader parsed = ObjectHeader.parse(ct, 0, ct.length);
            assertThat(parsed).isEqualTo(h);
            assertThat(parsed.plaintextLength(ct.length)).isEqualTo(pt.length);
            try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(parsed, key)) {
                InputStream body = new ByteArrayInputStream(ct, parsed.length(), ct.length - parsed.length());
                assertThat(d.decryptingStream(body, ct.length).readAllBytes()).isEqualTo(pt);
            }
        }
    }

    @Test
    void formatDoc_containsEveryVectorVerbatim() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).resolve("../docs/FORMAT.md").normalize();
        String text = Files.readString(doc).replaceAll("[\\s`>]", "");
        for (Map<String, String> v : vectors()) {
            assertThat(text).as("vector %s ciphertext in FORMAT.md", v.get("name")).contains(v.get("ciphertext"));
            assertThat(text).as("vector %s plaintext in FORMAT.md", v.get("name")).contains(v.get("plaintext"));
        }
    }
}
