package io.servletsse.sample;

import static io.servletsse.sample.ReliabilitySupport.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.sample.ReliabilitySupport.Raw;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests to the sample app when servlet-sse checks identities and permissions (OSS
 * AccessKey signatures): odd methods, malformed Authorization headers, malformed or huge query
 * strings. Each is answered with a clean OSS error (status and {@code <Code>}), before the app,
 * never with the container's bare 500.
 */
class HostileAuthInputTest {
    static Path tempDir;
    static SampleApp.Running app;
    static final AtomicInteger CASES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        tempDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "hostile-auth");
        Path config = tempDir.resolve("sse.json");
        Files.writeString(config, """
                {
                  "dataDirectory": "unused",
                  "buckets": { "enc": { "SSEAlgorithm": "AES256" } },
                  "access": {
                    "identity": "accessKey",
                    "accountId": "1416614965936597",
                    "region": "cn-hangzhou",
                    "users": [ {"name": "admin", "accessKeyId": "LTAI5tHostileTestKey", "accessKeySecret": "secret", "policies": ["all"]} ],
                    "policies": { "all": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]} }
                  }
                }""");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(tempDir.resolve("data")).withSseConfig(config.toString()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        System.out.println("reliability-stats: hostile auth cases=" + CASES.get());
    }

    static final byte[] VALID_RULE = ("<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>SM4"
            + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static Stream<Arguments> requests() {
        String many = String.join("&", java.util.Collections.nCopies(1500, "a=1"));
        return Stream.of(
                // Regression: these escaped the filter as an IllegalArgumentException (a bare 500).
                Arguments.of("get", "/enc/k", new String[0], 405),
                Arguments.of("M-SEARCH", "/enc/k", new String[0], 405),
                Arguments.of("Put", "/enc/k", new String[0], 405),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS "}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS LTAI5tHostileTestKey:"}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS LTAI5tHostileTestKey:abc"}, 400), // no Date
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS nobody:abc", "Date", "Sat, 01 Jun 2024 12:00:00 GMT"}, 403),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS4-HMAC-SHA256 Credential=,Signature="}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS4-HMAC-SHA256 " + "Credential=a/b/c/d/e,".repeat(300)}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS2 AccessKeyId:x,Signature:y"}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "Bearer x"}, 400),
                Arguments.of("GET", "/enc/k", new String[] {"Authorization", "OSS a:b", "Authorization", "OSS c:d"}, 400),
                Arguments.of("GET", "/enc/k?x=%zz", new String[0], 400),
                Arguments.of("GET", "/enc/k?" + many, new String[0], 400),
                Arguments.of("GET", "/enc/k", new String[0], 403), // anonymous: denied
                Arguments.of("PUT", "/enc?encryption", new String[0], 403)); // anonymous: denied
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("requests")
    void hostileRequest_getsACleanOssError(String method, String target, String[] headers, int status) throws Exception {
        CASES.incrementAndGet();
        byte[] body = target.endsWith("?encryption") ? VALID_RULE : null;
        Raw r = raw(app.port(), method, target, body, headers);
        assertThat(r.status()).as(r.head() + "\n" + r.text()).isEqualTo(status);
        assertThat(r.code()).as(r.text()).isNotBlank();
        if (status == 405) {
            assertThat(r.code()).isEqualTo("MethodNotAllowed");
        }
    }
}
