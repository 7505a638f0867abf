package io.servletsse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.auth.SignedRequest.QueryParameter;
import io.servletsse.error.SseException;
import org.junit.jupiter.api.Test;

final class SignedRequestTest {
    @Test
    void parseQuery_keepsNoValueApartFromEmptyValue_andDecodes() {
        assertThat(SignedRequest.parseQuery("encryption&acl=&partNumber=1&response-content-type=text%2Fplain%3B%20a"))
                .containsExactly(new QueryParameter("encryption", null), new QueryParameter("acl", ""),
                        new QueryParameter("partNumber", "1"), new QueryParameter("response-content-type", "text/plain; a"));
        assertThat(SignedRequest.parseQuery(null)).isEmpty();
    }

    @Test
    void parseQuery_badEscape_isInvalidArgument() {
        assertThatThrownBy(() -> SignedRequest.parseQuery("a=%zz"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InvalidArgument"));
    }

    @Test
    void headers_areCaseInsensitive_andToStringHidesValues() {
        SignedRequest r = SignedRequest.builder("PUT", "/b/dir/k").header("Authorization", "OSS AK:secret-sig")
                .header("x-oss-meta-a", "1").header("X-OSS-META-A", "2").build();
        assertThat(r.header("authorization")).isEqualTo("OSS AK:secret-sig");
        assertThat(r.headers("x-oss-meta-a")).containsExactly("1", "2");
        assertThat(r.toString()).doesNotContain("secret-sig");
    }

    @Test
    void bucketAndKey_comeFromTheResourcePath() {
        assertThat(SignedRequest.builder("GET", "/b/dir/k").build().bucket()).isEqualTo("b");
        assertThat(SignedRequest.builder("GET", "/b/dir/k").build().objectKey()).isEqualTo("dir/k");
        assertThat(SignedRequest.builder("GET", "/b/").build().objectKey()).isNull();
        assertThat(SignedRequest.builder("GET", "/b").build().bucket()).isEqualTo("b");
        assertThat(SignedRequest.builder("GET", "/").build().bucket()).isNull();
    }

    @Test
    void bucketRequestWithoutTrailingSlash_isSignedAsBucketSlash() {
        assertThat(SignatureVerifier.canonicalResourcePath("/b")).isEqualTo("/b/");
        assertThat(SignatureVerifier.canonicalResourcePath("/b/")).isEqualTo("/b/");
        assertThat(SignatureVerifier.canonicalResourcePath("/b/k")).isEqualTo("/b/k");
        assertThat(SignatureVerifier.canonicalResourcePath("/")).isEqualTo("/");
    }

    @Test
    void builder_rejectsPathsWithoutLeadingSlash() {
        assertThatThrownBy(() -> SignedRequest.builder("GET", "b/k")).isInstanceOf(IllegalArgumentException.class);
    }
}
