package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathSafetyTest extends RunningApp {

    @BeforeAll
    static void bucket() throws Exception {
        client.createBucket("safe");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/safe/../escaped",
        "/safe/a/../../escaped",
        "/safe/../../../../../../tmp/escaped",
        "/safe/%2e%2e/escaped",
        "/safe/%2E%2E%2Fescaped",
        "/safe/a%2F..%2F..%2Fescaped",
        "/safe/..%5C..%5Cescaped",
        "/safe/a/./escaped",
        "/safe//escaped",
        "/safe/%00escaped",
        "/safe/trailing/",
        "/../escaped",
        "/%2e%2e/escaped",
    })
    void traversalAttempt_isRejectedWith400AndWritesNothingOutsideTheBucket(String target) throws Exception {
        int status = client.raw("PUT", target, "payload");

        assertThat(status).isEqualTo(400);
        assertThat(filesNamedEscaped()).isEmpty();
        try (Stream<Path> top = Files.list(tempDir)) {
            assertThat(top).containsExactly(dataDir); // nothing next to the data directory
        }
    }

    /** Dot segments reach the service, which names the bad key; Jetty itself refuses ambiguous escapes. */
    @ParameterizedTest
    @CsvSource({
        "/safe/../escaped, InvalidObjectName",
        "/safe/a/./b, InvalidObjectName",
        "/safe/%2e%2e/escaped, InvalidArgument",
        "/safe/a%2Fb, InvalidArgument",
    })
    void traversalAttempt_answersAnOssXmlError(String path, String code) throws Exception {
        HttpResponse<byte[]> r = client.get(path);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo(code);
        assertThat(TestClient.child(TestClient.xml(r), "RequestId")).isEqualTo(r.headers().firstValue("x-oss-request-id").orElseThrow());
    }

    private static List<Path> filesNamedEscaped() throws Exception {
        try (Stream<Path> all = Files.walk(tempDir)) {
            return all.filter(p -> p.getFileName().toString().contains("escaped")).toList();
        }
    }
}
