package io.servletsse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration holds AccessKey secrets and PKCS#11 PINs: neither its toString nor its parse errors show them. */
class ConfigSecretsTest {
    static final String SECRET = "Sup3rSecretAccessKeyValue";
    static final String PIN = "9876-PIN-4321";

    @TempDir
    Path tmp;

    @Test
    void toString_leavesOutTheKeysAndAccessSections() throws Exception {
        String json = "{\"keys\":{\"kms\":{\"backend\":\"pkcs11\",\"pkcs11\":{\"library\":\"/x.so\",\"slot\":0,\"pin\":\"" + PIN + "\"}}},"
                + "\"access\":{\"identity\":\"accessKey\",\"accountId\":\"1\",\"region\":\"cn-hangzhou\","
                + "\"users\":[{\"name\":\"alice\",\"accessKeyId\":\"LTAI000\",\"accessKeySecret\":\"" + SECRET + "\"}]}}";
        SseConfig c = ConfigLoader.parse(ConfigLoader.json().readTree(json), tmp.resolve("sse"));

        assertThat(c.toString()).doesNotContain(SECRET).doesNotContain(PIN).doesNotContain("LTAI000")
                .contains("keys=<redacted>", "access=<redacted>", "dataDirectory=" + tmp.resolve("sse"));
        assertThat(ConfigLoader.parse(ConfigLoader.json().readTree("{}"), tmp).toString()).contains("keys=absent", "access=absent");
    }

    @Test
    void aSyntaxError_saysWhere_notWhatTheTextWas() throws Exception {
        Path file = tmp.resolve("sse.json");
        Files.writeString(file, "{\n  \"access\": {\"users\": [{\"accessKeySecret\": " + SECRET + "}]}\n}");

        assertThatThrownBy(() -> ConfigLoader.load(file.toString(), tmp.resolve("d"), getClass().getClassLoader()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid JSON at line 2")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET.substring(0, 8)));
    }
}
