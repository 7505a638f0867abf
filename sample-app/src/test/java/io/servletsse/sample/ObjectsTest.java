package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObjectsTest extends RunningApp {

    @BeforeAll
    static void bucket() throws Exception {
        client.createBucket("objects");
    }

    @Test
    void putThenGet_20MiB_returnsTheSameBytesWithMd5EtagAndCrc64() throws Exception {
        byte[] body = Reference.random(20 * 1024 * 1024 + 7, 1);

        HttpResponse<byte[]> put = client.put("/objects/big.bin", body);
        HttpResponse<byte[]> get = client.get("/objects/big.bin");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).hasValue("\"" + Reference.md5Hex(body) + "\"");
        assertThat(put.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(body));
        assertThat(put.headers().firstValue("x-oss-request-id")).hasValueSatisfying(v -> assertThat(v).matches("[0-9A-F]{24}"));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(body);
        assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(get.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(body));
        assertThat(get.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(Files.size(dataDir.resolve("objects/objects/big.bin"))).isEqualTo(body.length);
    }

    @Test
    void etag_isTheSameOnPutGetAndHead() throws Exception {
        byte[] body = "stable etag".getBytes();

        String onPut = client.put("/objects/etag.txt", body).headers().firstValue("ETag").orElseThrow();
        String onGet = client.get("/objects/etag.txt").headers().firstValue("ETag").orElseThrow();
        String onHead = client.head("/objects/etag.txt").headers().firstValue("ETag").orElseThrow();

        assertThat(onPut).isEqualTo("\"" + Reference.md5Hex(body) + "\"").isEqualTo(onGet).isEqualTo(onHead);
    }

    @Test
    void head_describesTheObjectWithoutABody() throws Exception {
        byte[] body = Reference.random(1000, 2);
        client.put("/objects/head.bin", body);

        HttpResponse<byte[]> head = client.head("/objects/head.bin");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(1000);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(head.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(body));
    }

    @Test
    void lastModified_parsesWithTheOssSdkPatternAndIsRecent() throws Exception {
        // A second of slack: the kernel stamps mtime from its coarse clock, which can trail Instant.now().
        Instant before = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        client.put("/objects/dated.txt", "x".getBytes());

        String lastModified = client.head("/objects/dated.txt").headers().firstValue("Last-Modified").orElseThrow();

        SimpleDateFormat sdk = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss z", Locale.US); // OSS SDK DateUtil
        sdk.setTimeZone(TimeZone.getTimeZone("GMT"));
        sdk.setLenient(false);
        Date parsed = sdk.parse(lastModified);
        assertThat(lastModified).matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        assertThat(parsed.toInstant()).isBetween(before, Instant.now());
    }

    @Test
    void keyWithSlashes_isStoredInNestedDirectoriesAndReadBack() throws Exception {
        client.put("/objects/a/b/c/deep.txt", "deep".getBytes());

        assertThat(client.get("/objects/a/b/c/deep.txt").body()).isEqualTo("deep".getBytes());
        assertThat(dataDir.resolve("objects/objects/a/b/c/deep.txt")).hasContent("deep");
    }

    @Test
    void keyWithEscapedCharacters_roundTrips() throws Exception {
        client.put("/objects/with%20space/%E4%BD%A0%E5%A5%BD.txt", "hi".getBytes());

        assertThat(client.get("/objects/with%20space/%E4%BD%A0%E5%A5%BD.txt").body()).isEqualTo("hi".getBytes());
        assertThat(dataDir.resolve("objects/objects/with space/\u4f60\u597d.txt")).hasContent("hi");
    }

    @Test
    void keyWithPercentSemicolonAndOtherReservedCharacters_roundTrips() throws Exception {
        // What the OSS SDK sends for the key "100% sure;v=1+x&y=#1.txt" (it escapes all but '/').
        String path = "/objects/100%25%20sure%3Bv%3D1%2Bx%26y%3D%231.txt";

        HttpResponse<byte[]> put = client.put(path, "odd".getBytes());

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(client.get(path).body()).isEqualTo("odd".getBytes());
        assertThat(dataDir.resolve("objects/objects/100% sure;v=1+x&y=#1.txt")).hasContent("odd");
    }

    @Test
    void overwrite_replacesContentAndEtag() throws Exception {
        client.put("/objects/over.txt", "first".getBytes());
        client.put("/objects/over.txt", "second!".getBytes());

        HttpResponse<byte[]> get = client.get("/objects/over.txt");

        assertThat(get.body()).isEqualTo("second!".getBytes());
        assertThat(get.headers().firstValue("ETag")).hasValue("\"" + Reference.md5Hex("second!".getBytes()) + "\"");
    }

    @Test
    void contentTypeAndUserMetadata_areKeptFromTheUpload() throws Exception {
        client.put("/objects/typed.json", "{}".getBytes(), "Content-Type", "application/json", "x-oss-meta-owner", "alice");

        HttpResponse<byte[]> get = client.get("/objects/typed.json");

        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get.headers().firstValue("x-oss-meta-owner")).hasValue("alice");
    }

    @Test
    void postWithBody_storesLikePut() throws Exception {
        HttpResponse<byte[]> post = client.send("POST", "/objects/posted.txt", "posted".getBytes(),
                "Content-Type", "text/plain");

        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(client.get("/objects/posted.txt").body()).isEqualTo("posted".getBytes());
    }

    @Test
    void emptyBody_isStoredAsEmptyObject() throws Exception {
        client.put("/objects/empty", new byte[0]);

        HttpResponse<byte[]> get = client.get("/objects/empty");

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        assertThat(get.headers().firstValue("x-oss-hash-crc64ecma")).hasValue("0");
    }

    @Test
    void matchingContentMd5_isAccepted() throws Exception {
        byte[] body = "checked".getBytes();

        HttpResponse<byte[]> put = client.put("/objects/checked.txt", body, "Content-MD5", Reference.md5Base64(body));

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(client.get("/objects/checked.txt").body()).isEqualTo(body);
    }

    @Test
    void contentMd5Mismatch_isInvalidDigestAndStoresNothing() throws Exception {
        HttpResponse<byte[]> put = client.put("/objects/corrupt.txt", "sent bytes".getBytes(),
                "Content-MD5", Reference.md5Base64("other bytes".getBytes()));

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(put), "Code")).isEqualTo("InvalidDigest");
        assertThat(client.get("/objects/corrupt.txt").statusCode()).isEqualTo(404);
        assertThat(dataDir.resolve("objects/objects/corrupt.txt")).doesNotExist();
        try (Stream<Path> uploads = Files.list(dataDir.resolve("tmp"))) {
            assertThat(uploads).isEmpty();
        }
    }

    @Test
    void contentMd5NotBase64_isInvalidDigest() throws Exception {
        HttpResponse<byte[]> put = client.put("/objects/bad-md5.txt", "x".getBytes(), "Content-MD5", "not-an-md5");

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(put), "Code")).isEqualTo("InvalidDigest");
        assertThat(client.head("/objects/bad-md5.txt").statusCode()).isEqualTo(404);
    }

    @Test
    void delete_removesTheObjectAndItsEmptyDirectories() throws Exception {
        client.put("/objects/gone/soon.txt", "bye".getBytes());

        HttpResponse<byte[]> del = client.delete("/objects/gone/soon.txt");

        assertThat(del.statusCode()).isEqualTo(204);
        assertThat(client.get("/objects/gone/soon.txt").statusCode()).isEqualTo(404);
        assertThat(dataDir.resolve("objects/objects/gone")).doesNotExist();
    }

    @Test
    void putIntoMissingBucket_isNoSuchBucket() throws Exception {
        HttpResponse<byte[]> put = client.put("/no-such-bucket/k", "x".getBytes());

        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(TestClient.child(TestClient.xml(put), "Code")).isEqualTo("NoSuchBucket");
        assertThat(dataDir.resolve("objects/no-such-bucket")).doesNotExist();
    }

    @Test
    void keyUnderAnExistingObject_isRejectedAndTheObjectSurvives() throws Exception {
        client.put("/objects/plain", "file".getBytes());

        HttpResponse<byte[]> put = client.put("/objects/plain/child", "x".getBytes());

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(put), "Code")).isEqualTo("InvalidObjectName");
        assertThat(client.get("/objects/plain").body()).isEqualTo("file".getBytes());
    }

    @Test
    void keyNamingAnExistingPrefix_isRejectedAndTheLongerKeySurvives() throws Exception {
        client.put("/objects/folder/inside", "in".getBytes());

        HttpResponse<byte[]> put = client.put("/objects/folder", "x".getBytes());

        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(put), "Code")).isEqualTo("InvalidObjectName");
        assertThat(client.get("/objects/folder").statusCode()).isEqualTo(404);
        assertThat(client.delete("/objects/folder").statusCode()).isEqualTo(204);
        assertThat(client.get("/objects/folder/inside").body()).isEqualTo("in".getBytes());
    }

    @Test
    void ifNoneMatchWithCurrentEtag_isNotModified() throws Exception {
        String etag = client.put("/objects/cached.txt", "c".getBytes()).headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> get = client.get("/objects/cached.txt", "If-None-Match", etag);

        assertThat(get.statusCode()).isEqualTo(304);
        assertThat(get.body()).isEmpty();
        assertThat(get.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void ifMatchWithOtherEtag_isPreconditionFailed() throws Exception {
        client.put("/objects/guarded.txt", "g".getBytes());

        HttpResponse<byte[]> get = client.get("/objects/guarded.txt", "If-Match", "\"0123456789ABCDEF0123456789ABCDEF\"");

        assertThat(get.statusCode()).isEqualTo(412);
        assertThat(TestClient.child(TestClient.xml(get), "Code")).isEqualTo("PreconditionFailed");
    }

    @Test
    void ifModifiedSinceAfterTheWrite_isNotModified() throws Exception {
        client.put("/objects/since.txt", "s".getBytes());
        String lastModified = client.head("/objects/since.txt").headers().firstValue("Last-Modified").orElseThrow();

        assertThat(client.get("/objects/since.txt", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(client.get("/objects/since.txt", "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode())
                .isEqualTo(200);
    }
}
