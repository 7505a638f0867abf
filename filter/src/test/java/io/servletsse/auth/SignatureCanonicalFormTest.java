package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact strings V1 and V4 sign, spelled out for reviewers (the real-SDK round trips are in
 * OssSdkSignatureTest): which headers and query parameters take part, in which order and form.
 */
final class SignatureCanonicalFormTest {
    private static final SignedRequest REQUEST = SignedRequest.builder("PUT", "/bkt/dir/a b+ü.txt")
            .rawQuery("uploadId=abc&foo=bar&partNumber=1&encryption")
            .header("Host", "127.0.0.1:8080")
            .header("Content-MD5", "eB5eJF1ptWaXm4bijSPyxw==")
            .header("Content-Type", " text/plain ")
            .header("Content-Length", "5")
            .header("Date", "Mon, 23 Nov 2026 10:00:00 GMT")
            .header("X-OSS-Meta-b", " 2 ")
            .header("x-oss-meta-a", "1")
            .header("x-oss-date", "20261123T100000Z")
            .header("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
            .build();

    @Test
    void v1_signsMd5TypeDate_lowerCasedOssHeaders_andOnlyOssSubResourcesOfTheRawPath() {
        assertThat(SignatureVerifier.v1StringToSign(REQUEST)).isEqualTo("""
                PUT
                eB5eJF1ptWaXm4bijSPyxw==
                text/plain
                Mon, 23 Nov 2026 10:00:00 GMT
                x-oss-content-sha256:UNSIGNED-PAYLOAD
                x-oss-date:20261123T100000Z
                x-oss-meta-a:1
                x-oss-meta-b:2
                /bkt/dir/a b+ü.txt?encryption&partNumber=1&uploadId=abc""");
    }

    @Test
    void v1_bucketRequest_signsBucketSlash() {
        SignedRequest r = SignedRequest.builder("GET", "/bkt").rawQuery("encryption").header("Date", "d").build();
        assertThat(SignatureVerifier.v1StringToSign(r)).isEqualTo("GET\n\n\nd\n/bkt/?encryption");
    }

    @Test
    void v4_signsEncodedPath_allQueryParameters_defaultAndAdditionalHeaders() {
        assertThat(SignatureVerifier.v4CanonicalRequest(REQUEST, List.of("host"))).isEqualTo("""
                PUT
                /bkt/dir/a%20b%2B%C3%BC.txt
                encryption&foo=bar&partNumber=1&uploadId=abc
                content-md5:eB5eJF1ptWaXm4bijSPyxw==
                content-type:text/plain
                host:127.0.0.1:8080
                x-oss-content-sha256:UNSIGNED-PAYLOAD
                x-oss-date:20261123T100000Z
                x-oss-meta-a:1
                x-oss-meta-b:2

                host
                UNSIGNED-PAYLOAD""");
    }

    @Test
    void v4_queryValuesAreRfc3986Encoded_slashIncluded() {
        SignedRequest r = SignedRequest.builder("GET", "/bkt/k")
                .query("response-content-type", "text/plain; a=b/c~*").build();
        assertThat(SignatureVerifier.v4CanonicalRequest(r, List.of()).split("\n")[2])
                .isEqualTo("response-content-type=text%2Fplain%3B%20a%3Db%2Fc~%2A");
    }
}
