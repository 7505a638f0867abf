package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeTest extends RunningApp {
    private static final int SIZE = 3 * 1024 * 1024 + 123;
    private static final byte[] BODY = Reference.random(SIZE, 7);

    @BeforeAll
    static void object() throws Exception {
        client.createBucket("ranges");
        client.put("/ranges/obj", BODY);
    }

    @Test
    void closedRange_isPartialContentWithExactlyThoseBytes() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=100-199");

        assertPartial(r, 100, 199);
    }

    @Test
    void openRange_runsToTheEnd() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=" + (SIZE - 70_000) + "-");

        assertPartial(r, SIZE - 70_000, SIZE - 1);
    }

    @Test
    void suffixRange_isTheLastNBytes() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=-1048576");

        assertPartial(r, SIZE - 1048576, SIZE - 1);
    }

    @Test
    void standardBehavior_suffixLongerThanObject_isTheWholeObjectAsPartialContent() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=-" + (SIZE + 10), "x-oss-range-behavior", "standard");

        assertPartial(r, 0, SIZE - 1);
    }

    @Test
    void standardBehavior_endBeyondSize_isClamped() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=" + (SIZE - 10) + "-" + (SIZE + 1000),
                "x-oss-range-behavior", "Standard");

        assertPartial(r, SIZE - 10, SIZE - 1);
    }

    /** OSS by default: a range not inside the object (end, start or suffix past it) is ignored. */
    @ParameterizedTest(name = "Range bytes={0}")
    @ValueSource(strings = {"0-" + SIZE, SIZE + "-" + (2 * SIZE), SIZE + "-", "-" + (SIZE + 1), "-0"})
    void defaultBehavior_rangeOutsideTheObject_isTheWholeObject200(String spec) throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=" + spec);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.body()).isEqualTo(BODY);
    }

    @Test
    void multipleRanges_serveTheFirstOnly() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=10-19,100-199");

        assertPartial(r, 10, 19);
    }

    @Test
    void standardBehavior_startBeyondSize_isInvalidRange416WithTheSize() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=" + SIZE + "-", "x-oss-range-behavior", "standard");

        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InvalidRange");
    }

    @Test
    void malformedRange_isIgnoredAndTheWholeObjectServed() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=abc-def");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.body()).isEqualTo(BODY);
    }

    @Test
    void rangeOnHead_reportsThePartialLengthWithoutBody() throws Exception {
        HttpResponse<byte[]> r = client.head("/ranges/obj", "Range", "bytes=0-9");

        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + SIZE);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void rangeWithStaleIfRange_servesTheWholeObject() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=0-9", "If-Range", "\"0000\"");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(SIZE);
    }

    @Test
    void partialContent_carriesTheWholeObjectCrc64AsOssDoes() throws Exception {
        HttpResponse<byte[]> r = client.get("/ranges/obj", "Range", "bytes=0-0");

        assertThat(r.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(BODY));
    }

    private static void assertPartial(HttpResponse<byte[]> r, int first, int last) {
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(last - first + 1);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(BODY, first, last + 1));
    }
}
