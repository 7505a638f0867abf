package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class BucketsTest extends RunningApp {

    @Test
    void createBucketTwice_bothSucceedAndListOnce() throws Exception {
        assertThat(client.put("/twice", null).statusCode()).isEqualTo(200);
        assertThat(client.put("/twice/", null).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> list = client.get("/");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        String xml = new String(list.body(), StandardCharsets.UTF_8);
        assertThat(xml).contains("<ListAllMyBucketsResult>").contains("<Owner><ID>");
        assertThat(xml.split("<Name>twice</Name>", -1)).hasSize(2);
        assertThat(xml).containsPattern("<CreationDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</CreationDate>");
    }

    @Test
    void invalidBucketName_isRejectedWithInvalidBucketName() throws Exception {
        HttpResponse<byte[]> r = client.put("/Upper_Case", null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InvalidBucketName");
        assertThat(dataDir.resolve("objects/Upper_Case")).doesNotExist();
    }

    @Test
    void listObjects_withPrefix_returnsOnlyMatchingKeysWithSizeEtagAndDate() throws Exception {
        client.createBucket("listing");
        client.put("/listing/docs/a.txt", "aaa".getBytes());
        client.put("/listing/docs/b.txt", "bbbb".getBytes());
        client.put("/listing/other.txt", "c".getBytes());

        HttpResponse<byte[]> r = client.get("/listing?prefix=docs/");

        String xml = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(xml).contains("<Name>listing</Name>", "<Prefix>docs/</Prefix>", "<IsTruncated>false</IsTruncated>")
                .contains("<Key>docs/a.txt</Key>", "<Key>docs/b.txt</Key>")
                .doesNotContain("other.txt")
                .contains("<Size>4</Size>")
                .contains("<ETag>&quot;" + Reference.md5Hex("bbbb".getBytes()) + "&quot;</ETag>")
                .containsPattern("<LastModified>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</LastModified>");
        assertThat(xml.indexOf("docs/a.txt")).isLessThan(xml.indexOf("docs/b.txt"));
    }

    @Test
    void listObjects_withDelimiter_rollsSubdirectoriesIntoCommonPrefixes() throws Exception {
        client.createBucket("delimited");
        client.put("/delimited/top.txt", "t".getBytes());
        client.put("/delimited/dir/one", "1".getBytes());
        client.put("/delimited/dir/two", "2".getBytes());

        String xml = new String(client.get("/delimited?delimiter=/").body(), StandardCharsets.UTF_8);

        assertThat(xml).contains("<Key>top.txt</Key>", "<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>")
                .doesNotContain("<Key>dir/one</Key>");
    }

    @Test
    void listObjects_withMaxKeys_pagesWithNextMarker() throws Exception {
        client.createBucket("paged");
        for (String k : new String[] {"k1", "k2", "k3"}) {
            client.put("/paged/" + k, k.getBytes());
        }

        String first = new String(client.get("/paged?max-keys=2").body(), StandardCharsets.UTF_8);
        String second = new String(client.get("/paged?max-keys=2&marker=k2").body(), StandardCharsets.UTF_8);

        assertThat(first).contains("<Key>k1</Key>", "<Key>k2</Key>", "<IsTruncated>true</IsTruncated>", "<NextMarker>k2</NextMarker>")
                .doesNotContain("<Key>k3</Key>");
        assertThat(second).contains("<Key>k3</Key>", "<IsTruncated>false</IsTruncated>").doesNotContain("<Key>k1</Key>");
    }

    @Test
    void listObjectsV2_reportsKeyCountAndContinuationToken() throws Exception {
        client.createBucket("listv2");
        client.put("/listv2/x", "x".getBytes());
        client.put("/listv2/y", "y".getBytes());

        String xml = new String(client.get("/listv2?list-type=2&max-keys=1").body(), StandardCharsets.UTF_8);

        assertThat(xml).contains("<KeyCount>1</KeyCount>", "<Key>x</Key>", "<NextContinuationToken>x</NextContinuationToken>")
                .doesNotContain("<Owner>");
    }

    @Test
    void listMissingBucket_isNoSuchBucket() throws Exception {
        HttpResponse<byte[]> r = client.get("/never-created");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("NoSuchBucket");
    }

    @Test
    void deleteNonEmptyBucket_isBucketNotEmptyAndKeepsObjects() throws Exception {
        client.createBucket("full");
        client.put("/full/deep/file", "data".getBytes());

        HttpResponse<byte[]> r = client.delete("/full");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("BucketNotEmpty");
        assertThat(client.get("/full/deep/file").body()).isEqualTo("data".getBytes());
    }

    @Test
    void deleteBucketAfterItsObjects_succeedsAndBucketIsGone() throws Exception {
        client.createBucket("emptied");
        client.put("/emptied/a/b/c", "data".getBytes());
        assertThat(client.delete("/emptied/a/b/c").statusCode()).isEqualTo(204);

        assertThat(client.delete("/emptied").statusCode()).isEqualTo(204);

        assertThat(client.get("/emptied").statusCode()).isEqualTo(404);
        assertThat(Files.exists(dataDir.resolve("objects/emptied"))).isFalse();
    }

    @Test
    void bucketInfo_namesTheBucketWithItsCreationDate() throws Exception {
        client.createBucket("informed");

        HttpResponse<byte[]> r = client.get("/informed?bucketInfo");

        Element root = TestClient.xml(r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(root.getTagName()).isEqualTo("BucketInfo");
        assertThat(TestClient.child(root, "Name")).isEqualTo("informed");
        assertThat(TestClient.child(root, "CreationDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void deleteObjects_removesTheListedKeysAndReportsThem() throws Exception {
        client.createBucket("batch");
        client.put("/batch/one", "1".getBytes());
        client.put("/batch/dir/two", "2".getBytes());
        client.put("/batch/kept", "3".getBytes());
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>false</Quiet>"
                + "<Object><Key>one</Key></Object><Object><Key>dir/two</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> r = client.send("POST", "/batch?delete", body, "Content-MD5", Reference.md5Base64(body));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .contains("<DeleteResult>", "<Deleted><Key>one</Key></Deleted>", "<Deleted><Key>dir/two</Key></Deleted>");
        assertThat(client.head("/batch/one").statusCode()).isEqualTo(404);
        assertThat(client.head("/batch/dir/two").statusCode()).isEqualTo(404);
        assertThat(client.head("/batch/kept").statusCode()).isEqualTo(200);
    }

    @Test
    void deleteObjectsWithDoctype_isMalformedXmlAndDeletesNothing() throws Exception {
        client.createBucket("doctype");
        client.put("/doctype/one", "1".getBytes());
        byte[] body = ("<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY k \"one\">]>"
                + "<Delete><Object><Key>&k;</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> r = client.send("POST", "/doctype?delete", body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("MalformedXML");
        assertThat(client.head("/doctype/one").statusCode()).isEqualTo(200);
    }

    @Test
    void bucketSubResourceThisServiceLacks_isNotImplementedAndCreatesNothing() throws Exception {
        HttpResponse<byte[]> r = client.put("/unencrypted?encryption", "<ServerSideEncryptionRule/>".getBytes());

        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("NotImplemented");
        assertThat(dataDir.resolve("objects/unencrypted")).doesNotExist();
    }
}
