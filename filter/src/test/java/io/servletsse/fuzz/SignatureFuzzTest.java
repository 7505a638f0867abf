package io.servletsse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servletsse.auth.AccessControl;
import io.servletsse.auth.SignatureVerifier;
import io.servletsse.auth.SignedRequest;
import io.servletsse.error.SseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * The OSS signature parser and verifier (V1 and V4 {@code Authorization}, the query string, the
 * dates) on any request a client can send. Outcome wanted: one of the OSS errors the verifier
 * documents (400 InvalidArgument, 403 InvalidAccessKeyId / RequestTimeTooSkewed /
 * SignatureDoesNotMatch), and never a verified user: the fuzzer does not know the secret, so a
 * success would be a forgery. The AccessKey ID, the date and the scope are offered valid half of
 * the time, so that the fuzzer reaches the canonicalisation and the signature comparison.
 */
class SignatureFuzzTest {
    private static final FuzzStats STATS = new FuzzStats("Signature");

    @AfterAll
    static void report() {
        STATS.write();
    }

    private static final String AK = "LTAI5tFuzzAccessKeyId";
    private static final AccessControl ACCESS = AccessControl.parse("""
            {"identity": "accessKey", "accountId": "1416614965936597", "region": "cn-hangzhou",
             "users": [{"name": "alice", "accessKeyId": "%s", "accessKeySecret": "fuzz-secret-not-known-to-the-fuzzer"}]}"""
            .formatted(AK));
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final SignatureVerifier VERIFIER = new SignatureVerifier(ACCESS, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "DELETE", "OPTIONS"};
    private static final Set<String> CODES_400 = Set.of("InvalidArgument");
    private static final Set<String> CODES_403 = Set.of("InvalidAccessKeyId", "RequestTimeTooSkewed", "SignatureDoesNotMatch");

    @FuzzTest(maxDuration = "12s")
    @DictionaryEntries({"OSS ", "OSS4-HMAC-SHA256 ", "Credential=", "AdditionalHeaders=", "Signature=", AK,
        "/20240601/cn-hangzhou/oss/aliyun_v4_request", "UNSIGNED-PAYLOAD", "20240601T120000Z",
        "Sat, 01 Jun 2024 12:00:00 GMT", "x-oss-", "encryption", "%", "&", "="})
    void verify(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String path = "/" + data.consumeString(128);
        String rawQuery = data.consumeBoolean() ? data.consumeString(256) : null;
        String authorization = switch (data.consumeInt(0, 3)) {
            case 0 -> "OSS " + AK + ":" + data.consumeString(64);
            case 1 -> "OSS4-HMAC-SHA256 Credential=" + AK + "/20240601/cn-hangzhou/oss/aliyun_v4_request,"
                    + data.consumeString(256);
            case 2 -> "OSS4-HMAC-SHA256 " + data.consumeString(512);
            default -> data.consumeString(512);
        };
        String date = data.consumeBoolean() ? "Sat, 01 Jun 2024 12:00:00 GMT" : data.consumeString(40);
        String ossDate = data.consumeBoolean() ? "20240601T120000Z" : data.consumeString(24);
        String sha = data.consumeBoolean() ? "UNSIGNED-PAYLOAD" : data.consumeString(24);
        int extra = data.consumeInt(0, 8);
        SignedRequest request;
        try {
            SignedRequest.Builder b = SignedRequest.builder(method, path).rawQuery(rawQuery)
                    .header("Authorization", authorization).header("Date", date).header("x-oss-date", ossDate)
                    .header("x-oss-content-sha256", sha);
            for (int i = 0; i < extra; i++) {
                b.header(data.consumeString(32), data.consumeString(64));
            }
            if (data.consumeBoolean()) {
                b.header("Authorization", data.consumeRemainingAsString()); // a repeated Authorization
            }
            request = b.build();
        } catch (SseException e) {
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.ossCode()).isEqualTo("InvalidArgument"); // a malformed query string
            STATS.refused(0);
            return;
        }
        String claimed = SignatureVerifier.claimedAccessKeyId(request);
        assertThat(claimed == null || claimed.length() <= 128).isTrue();
        long allocated = Bounded.allocation(1L << 20, 512, authorization.length() + path.length() + (rawQuery == null ? 0 : rawQuery.length()), () -> {
            try {
                VERIFIER.verify(request);
                fail("a request signed without the secret was verified: " + authorization);
            } catch (SseException e) {
                if (e.httpStatus() == 400) {
                    assertThat(e.ossCode()).isIn(CODES_400);
                } else {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.ossCode()).isIn(CODES_403);
                }
            }
        });
        STATS.refused(allocated); // every input is refused: success fails above
    }
}
