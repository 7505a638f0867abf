package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.audit.AuditLog;
import io.servletsse.error.SseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Identity resolution in the three modes (signature checks themselves: OssSdkSignatureTest). */
final class AuthenticatorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final List<String> audit = new ArrayList<>();

    private Authenticator authenticator(String identityJson) {
        AccessControl ac = AccessControl.parse("""
                {%s, "accountId": "1", "region": "cn-hangzhou",
                 "users": [{"name": "alice", "accessKeyId": "AKalice", "accessKeySecret": "secret"}]}""".formatted(identityJson));
        return new Authenticator(ac, CLOCK, new AuditLog(CLOCK, audit::add));
    }

    private static SignedRequest.Builder get(String path) {
        return SignedRequest.builder("GET", path);
    }

    @Test
    void principalMode_containerPrincipal_isTheCaller_andNoneIsAnonymous() {
        Authenticator a = authenticator("\"identity\": \"principal\"");
        assertThat(a.authenticate("r", get("/b/k").build(), "alice")).isEqualTo(Caller.named("alice"));
        assertThat(a.authenticate("r", get("/b/k").build(), "someone")).isEqualTo(Caller.named("someone"));
        assertThat(a.authenticate("r", get("/b/k").build(), null).anonymous()).isTrue();
    }

    @Test
    void principalMode_ignoresIdentityHeadersAndSignatures() {
        Authenticator a = authenticator("\"identity\": \"principal\"");
        SignedRequest r = get("/b/k").header("X-User", "alice").header("Authorization", "OSS AKalice:forged").build();
        assertThat(a.authenticate("r", r, null).anonymous()).isTrue();
    }

    @Test
    void headerMode_trustedHeader_isTheCaller_caseInsensitively() {
        Authenticator a = authenticator("\"identity\": \"header\", \"header\": \"X-Authenticated-User\"");
        assertThat(a.authenticate("r", get("/b/k").header("x-authenticated-user", " alice ").build(), null))
                .isEqualTo(Caller.named("alice"));
        assertThat(a.authenticate("r", get("/b/k").build(), "container-user").anonymous()).isTrue();
        assertThat(a.authenticate("r", get("/b/k").header("X-Authenticated-User", "").build(), null).anonymous()).isTrue();
    }

    @Test
    void headerMode_repeatedOrInvalidHeader_isRefusedAndAudited() {
        Authenticator a = authenticator("\"identity\": \"header\", \"header\": \"X-Authenticated-User\"");
        SignedRequest twice = get("/b/k").header("X-Authenticated-User", "alice").header("X-Authenticated-User", "bob").build();
        assertThatThrownBy(() -> a.authenticate("r1", twice, null))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InvalidArgument"));
        SignedRequest control = get("/b/k").header("X-Authenticated-User", "al\u0000ice").build();
        assertThatThrownBy(() -> a.authenticate("r2", control, null)).isInstanceOf(SseException.class);
        SignedRequest reserved = get("/b/k").header("X-Authenticated-User", "anonymous").build();
        assertThatThrownBy(() -> a.authenticate("r3", reserved, null))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("AccessDenied"));
        assertThat(audit).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"action\":\"authenticate\"",
                "\"principal\":\"unauthenticated\"", "\"result\":\"denied\"", "\"bucket\":\"b\"", "\"key\":\"k\""));
    }

    @Test
    void accessKeyMode_noAuthorization_isAnonymous() {
        assertThat(authenticator("\"identity\": \"accessKey\"").authenticate("r", get("/b/k").build(), "alice").anonymous())
                .isTrue();
    }

    @Test
    void accessKeyMode_signedUrl_isRefused() {
        Authenticator a = authenticator("\"identity\": \"accessKey\"");
        SignedRequest presigned = get("/b/k").rawQuery("OSSAccessKeyId=AKalice&Expires=1&Signature=abc").build();
        assertThatThrownBy(() -> a.authenticate("r", presigned, null))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("AccessDenied"));
    }

    @Test
    void accessKeyMode_malformedAuthorization_isInvalidArgument() {
        Authenticator a = authenticator("\"identity\": \"accessKey\"");
        for (String header : List.of("Bearer abc", "OSS AKalice", "OSS :sig", "OSS2 AccessKeyId:AKalice,Signature:x",
                "OSS4-HMAC-SHA256 Credential=AKalice/2026/cn-hangzhou/oss/aliyun_v4_request,Signature=ab",
                "OSS4-HMAC-SHA256 Credential=AKalice/20261123/cn-hangzhou/oss/aliyun_v4_request,Foo=1,Signature=ab",
                "OSS4-HMAC-SHA256 Credential=AKalice/20261123/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=,Signature=ab")) {
            SignedRequest r = get("/b/k").header("Authorization", header).header("Date", "Mon, 23 Nov 2026 10:00:00 GMT").build();
            assertThatThrownBy(() -> a.authenticate("r", r, null)).as(header)
                    .isInstanceOfSatisfying(SseException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.ossCode()).isEqualTo("InvalidArgument");
                    });
        }
    }

    @Test
    void accessKeyMode_v1WithoutDate_isInvalidArgument() {
        Authenticator a = authenticator("\"identity\": \"accessKey\"");
        SignedRequest r = get("/b/k").header("Authorization", "OSS AKalice:c2lnbmF0dXJl").build();
        assertThatThrownBy(() -> a.authenticate("r", r, null)).hasMessage("OSS authentication requires a valid Date.");
    }

    @Test
    void accessKeyMode_v4WithPayloadHash_isRefused() {
        Authenticator a = authenticator("\"identity\": \"accessKey\"");
        SignedRequest r = get("/b/k")
                .header("Authorization", "OSS4-HMAC-SHA256 Credential=AKalice/20261123/cn-hangzhou/oss/aliyun_v4_request,Signature=ab")
                .header("x-oss-date", "20261123T100000Z")
                .header("x-oss-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").build();
        assertThatThrownBy(() -> a.authenticate("r", r, null)).hasMessage("x-oss-content-sha256 must be UNSIGNED-PAYLOAD.");
    }
}
