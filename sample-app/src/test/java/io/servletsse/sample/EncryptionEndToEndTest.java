package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.ObjectHeader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * The sample app with the filter in front of it (its shipped configuration: buckets plain, aes256,
 * sm4), over real sockets: what a user of the product sees.
 */
class EncryptionEndToEndTest {
    @TempDir
    static Path tempDir;

    static Path dataDir;
    static SampleApp.Running app;
    static TestClient client;

    static final int S = 65536;

    @BeforeAll
    static void start() throws Exception {
        dataDir = tempDir.resolve("data");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(dataDir).withFilter(true));
        client = new TestClient(app);
        for (String b : List.of("plain", "aes256", "sm4", "kms", "kms-sm4")) {
            client.createBucket(b);
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Flips {@code mask} in the stored byte {@code at(length)} of an object, as bit rot or an attacker would; the damaged bytes. */
    static byte[] damage(String bucket, String key, java.util.function.IntUnaryOperator at, int mask) throws IOException {
        Path f = stored(bucket, key);
        byte[] disk = Files.readAllBytes(f);
        disk[at.applyAsInt(disk.length)] ^= (byte) mask;
        Files.write(f, disk);
        return disk;
    }

    static Path stored(String bucket, String key) {
        return dataDir.resolve("objects").resolve(bucket).resolve(key);
    }

    @ParameterizedTest(name = "{0} bucket, {1} bytes")
    @CsvSource({
        "aes256, 0", "aes256, 1", "aes256, 65535", "aes256, 65536", "aes256, 65537", "aes256, 1048699",
        "sm4, 0", "sm4, 1", "sm4, 65536", "sm4, 200001"})
    void upload_isStoredEncrypted_andDownloadsAsUploaded(String bucket, int size) throws Exception {
        byte[] plain = Reference.random(size, size * 31L + bucket.hashCode());
        String key = "dir/obj-" + size;
        HttpResponse<byte[]> put = client.put("/" + bucket + "/" + key, plain);
        String alg = bucket.equals("sm4") ? "SM4" : "AES256";
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue(alg);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption-key-id")).isEmpty();
        assertThat(put.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(plain));

        byte[] disk = Files.readAllBytes(stored(bucket, key));
        ObjectHeader header = ObjectHeader.parse(disk, 0, disk.length);
        assertThat(header.algorithm()).isEqualTo(bucket.equals("sm4") ? ContentAlgorithm.SM4_GCM : ContentAlgorithm.AES_256_GCM);
        assertThat(header.plaintextLength(disk.length)).isEqualTo(size);
        if (size >= 16) {
            assertThat(indexOf(disk, Arrays.copyOf(plain, 16))).as("plaintext on disk").isNegative();
        }

        HttpResponse<byte[]> get = client.get("/" + bucket + "/" + key);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(plain);
        assertThat(get.headers().firstValue("Content-Length")).hasValue(Integer.toString(size));
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue(alg);
        assertThat(get.headers().firstValue("x-oss-hash-crc64ecma")).isEmpty();
        assertThat(get.headers().firstValue("ETag")).isEqualTo(put.headers().firstValue("ETag"));

        HttpResponse<byte[]> head = client.head("/" + bucket + "/" + key);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(size));
        assertThat(head.headers().firstValue("x-oss-server-side-encryption")).hasValue(alg);
        assertThat(head.headers().firstValue("ETag")).isEqualTo(put.headers().firstValue("ETag"));
    }

    @ParameterizedTest(name = "{0} bucket")
    @CsvSource({"kms, AES_256_GCM, ''", "kms-sm4, SM4_GCM, SM4"})
    void kmsBucket_usesTheDefaultCmk_andSaysSo(String bucket, ContentAlgorithm alg, String dataEnc) throws Exception {
        byte[] plain = Reference.random(150_000, bucket.hashCode());
        HttpResponse<byte[]> put = client.put("/" + bucket + "/k", plain);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("KMS");
        String cmk = put.headers().firstValue("x-oss-server-side-encryption-key-id").orElseThrow();
        assertThat(put.headers().firstValue("x-oss-server-side-data-encryption"))
                .isEqualTo(dataEnc.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(dataEnc));

        byte[] disk = Files.readAllBytes(stored(bucket, "k"));
        ObjectHeader header = ObjectHeader.parse(disk, 0, disk.length);
        assertThat(header.algorithm()).isEqualTo(alg);
        assertThat(header.keyEnvelope().provider()).isEqualTo("kms");
        assertThat(header.keyEnvelope().keyId()).isEqualTo(cmk);

        HttpResponse<byte[]> get = client.get("/" + bucket + "/k");
        assertThat(get.body()).isEqualTo(plain);
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue("KMS");
        assertThat(get.headers().firstValue("x-oss-server-side-encryption-key-id")).hasValue(cmk);
        HttpResponse<byte[]> head = client.head("/" + bucket + "/k");
        assertThat(head.headers().firstValue("x-oss-server-side-encryption-key-id")).hasValue(cmk);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("150000");
    }

    @ParameterizedTest(name = "Range {0}")
    @ValueSource(strings = {"0-0", "0-99", "65535-65536", "65530-131080", "100-", "-1", "-70000", "131072-131072",
        "197000-", "0-", "5-4000000", "-300000", "1000-2000,3000-4000"})
    void standardRangeOfEncryptedObject_equalsPlaintextSlice(String spec) throws Exception {
        int size = 3 * S + 1234;
        byte[] plain = Reference.random(size, 7);
        client.put("/aes256/ranged", plain);
        HttpResponse<byte[]> r = client.get("/aes256/ranged", "Range", "bytes=" + spec, "x-oss-range-behavior", "standard");
        long[] want = resolve(spec.split(",")[0], size);
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + want[0] + "-" + want[1] + "/" + size);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(plain, (int) want[0], (int) want[1] + 1));
        assertThat(r.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
    }

    /** Without x-oss-range-behavior: standard, OSS ignores a Range outside the object; so does the filter. */
    @ParameterizedTest(name = "Range {0}")
    @ValueSource(strings = {"5-4000000", "-300000", "300000-", "300000-400000", "0-" + (3 * S + 1234)})
    void rangeOutsideAnEncryptedObject_isTheWholePlaintext200(String spec) throws Exception {
        byte[] plain = Reference.random(3 * S + 1234, 9);
        client.put("/aes256/outside", plain);
        HttpResponse<byte[]> r = client.get("/aes256/outside", "Range", "bytes=" + spec);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(plain.length);
        assertThat(r.body()).isEqualTo(plain);
        assertThat(r.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
    }

    @Test
    void unsatisfiableStandardRange_is416WithPlaintextSize() throws Exception {
        byte[] plain = Reference.random(1000, 8);
        client.put("/sm4/small", plain);
        HttpResponse<byte[]> r = client.get("/sm4/small", "Range", "bytes=1000-2000", "x-oss-range-behavior", "standard");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */1000");
        Element e = TestClient.xml(r);
        assertThat(TestClient.child(e, "Code")).isEqualTo("InvalidRange");
    }

    @Test
    void invalidRange_isIgnoredAndServesWholeObject() throws Exception {
        byte[] plain = Reference.random(5000, 9);
        client.put("/aes256/whole", plain);
        HttpResponse<byte[]> r = client.get("/aes256/whole", "Range", "bytes=abc");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(plain);
    }

    @Test
    void plainBucket_storesBytesAsTheyAre() throws Exception {
        byte[] plain = Reference.random(70000, 10);
        HttpResponse<byte[]> put = client.put("/plain/p", plain);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        assertThat(Files.readAllBytes(stored("plain", "p"))).isEqualTo(plain);
        HttpResponse<byte[]> get = client.get("/plain/p");
        assertThat(get.body()).isEqualTo(plain);
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        assertThat(get.headers().firstValue("x-oss-hash-crc64ecma")).hasValue(Reference.crc64(plain));
    }

    @Test
    void uploadHeader_overridesBucketDefault() throws Exception {
        byte[] plain = Reference.random(4096, 11);
        HttpResponse<byte[]> put = client.put("/plain/forced", plain, "x-oss-server-side-encryption", "SM4");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("SM4");
        byte[] disk = Files.readAllBytes(stored("plain", "forced"));
        assertThat(ObjectHeader.parse(disk, 0, disk.length).algorithm()).isEqualTo(ContentAlgorithm.SM4_GCM);
        assertThat(client.get("/plain/forced").body()).isEqualTo(plain);
    }

    @Test
    void plaintextStoredBeforeEncryption_isServedUnchanged() throws Exception {
        byte[] legacy = Reference.random(100_000, 12);
        Path f = stored("aes256", "legacy.bin");
        Files.createDirectories(f.getParent());
        Files.write(f, legacy);
        HttpResponse<byte[]> get = client.get("/aes256/legacy.bin");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(legacy);
        assertThat(get.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        HttpResponse<byte[]> range = client.get("/aes256/legacy.bin", "Range", "bytes=99990-");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(legacy, 99990, 100_000));
        HttpResponse<byte[]> head = client.head("/aes256/legacy.bin");
        assertThat(head.headers().firstValue("Content-Length")).hasValue("100000");
        assertThat(head.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
    }

    @Test
    void plaintextBeginningWithTheMagic_inNoneBucket_comesBackByteForByte() throws Exception {
        byte[] plain = Reference.random(3000, 13);
        System.arraycopy(ObjectHeader.magic(), 0, plain, 0, ObjectHeader.MAGIC_LENGTH);
        assertThat(client.put("/plain/looks-encrypted", plain).statusCode()).isEqualTo(200);
        byte[] disk = Files.readAllBytes(stored("plain", "looks-encrypted"));
        assertThat(ObjectHeader.parse(disk, 0, disk.length).algorithm()).isEqualTo(ContentAlgorithm.NONE);
        assertThat(client.get("/plain/looks-encrypted").body()).isEqualTo(plain);
        assertThat(client.head("/plain/looks-encrypted").headers().firstValue("Content-Length")).hasValue("3000");
        HttpResponse<byte[]> r = client.get("/plain/looks-encrypted", "Range", "bytes=0-9");
        assertThat(r.body()).isEqualTo(Arrays.copyOf(plain, 10));
        // curl --data-binary labels a PUT body as a form: it is still an object, and still escaped.
        assertThat(client.put("/plain/form-labelled", plain, "Content-Type", "application/x-www-form-urlencoded").statusCode())
                .isEqualTo(200);
        assertThat(client.get("/plain/form-labelled").body()).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "x-oss-server-side-encryption=DES | 400 | InvalidEncryptionAlgorithmError",
        "x-oss-server-side-encryption=aes256 | 400 | InvalidEncryptionAlgorithmError",
        "x-oss-server-side-encryption=KMS,x-oss-server-side-data-encryption=AES | 400 | InvalidDataEncryptionAlgorithmError",
        "x-oss-server-side-encryption=AES256,x-oss-server-side-data-encryption=SM4 | 400 | InvalidArgument",
        "x-oss-server-side-encryption=SM4,x-oss-server-side-encryption-key-id=abc | 400 | InvalidArgument",
        "x-oss-server-side-encryption-key-id=abc | 400 | InvalidArgument",
        "x-oss-server-side-encryption=KMS,x-oss-server-side-encryption-key-id=0f2c4a8e-0000-4000-8000-000000000000 | 404 | KeyNotFound",
        "x-oss-server-side-encryption=KMS,x-oss-server-side-encryption-key-id=alias/nope | 404 | AliasNotFound",
        "x-oss-server-side-encryption=KMS,x-oss-server-side-encryption-key-id=not a key! | 400 | InvalidParameter"})
    void invalidSseHeaders_getOssErrorAndStoreNothing(String headers, int status, String code) throws Exception {
        List<String> h = new ArrayList<>();
        for (String kv : headers.split(",")) {
            String[] p = kv.trim().split("=", 2);
            h.add(p[0]);
            h.add(p[1]);
        }
        String key = "bad-" + Integer.toHexString(headers.hashCode());
        HttpResponse<byte[]> r = client.put("/aes256/" + key, "secret".getBytes(), h.toArray(String[]::new));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        Element e = TestClient.xml(r);
        assertThat(e.getNamespaceURI()).isNull();
        assertThat(TestClient.child(e, "Code")).isEqualTo(code);
        assertThat(TestClient.child(e, "RequestId")).matches("[0-9A-F]{24}");
        assertThat(Files.exists(stored("aes256", key))).isFalse();
    }

    /** The app's own error to a HEAD through the filter keeps OSS's x-oss-err (the probe is a GET, with a body). */
    @Test
    void headOfAMissingKey_carriesTheAppsErrorInXOssErr() throws Exception {
        HttpResponse<byte[]> r = client.head("/aes256/never-stored");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
        assertThat(new String(java.util.Base64.getDecoder().decode(r.headers().firstValue("x-oss-err").orElseThrow()),
                java.nio.charset.StandardCharsets.UTF_8)).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void sseHeaderOnGet_isInvalidArgument() throws Exception {
        client.put("/aes256/g", "x".getBytes());
        HttpResponse<byte[]> r = client.get("/aes256/g", "x-oss-server-side-encryption", "AES256");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InvalidArgument");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/aes256/mpu?uploads", "/aes256/mpu?partNumber=1&uploadId=U1", "/aes256/mpu?append&position=0"})
    void multipartAndAppendUploadsToAnEncryptedBucket_areNotImplementedAndStoreNothing(String target) throws Exception {
        HttpResponse<byte[]> r = client.send(target.contains("partNumber") ? "PUT" : "POST", target, "part".getBytes());
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("NotImplemented");
        assertThat(Files.exists(stored("aes256", "mpu"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/plain/part?partNumber=1&uploadId=U1", "/aes256/part?partNumber=1&uploadId=U1"})
    void sseHeaderOnUploadPart_isInvalidArgumentWhateverTheBucketsRule(String target) throws Exception {
        // OSS: a multipart upload's encryption is set by InitiateMultipartUpload, not per part.
        HttpResponse<byte[]> r = client.put(target, "part".getBytes(), "x-oss-server-side-encryption", "AES256");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InvalidArgument");
        assertThat(Files.exists(stored(target.substring(1, target.indexOf('/', 1)), "part"))).isFalse();
    }

    @Test
    void wrongContentMd5_isInvalidDigestAndNothingStored() throws Exception {
        byte[] plain = Reference.random(200_000, 14);
        HttpResponse<byte[]> r = client.put("/aes256/md5", plain, "Content-MD5", Reference.md5Base64("other".getBytes()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InvalidDigest");
        assertThat(Files.exists(stored("aes256", "md5"))).isFalse();
        HttpResponse<byte[]> ok = client.put("/aes256/md5", plain, "Content-MD5", Reference.md5Base64(plain));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(client.get("/aes256/md5").body()).isEqualTo(plain);
    }

    @Test
    void tamperedObject_neverYieldsWrongPlaintext() throws Exception {
        byte[] plain = Reference.random(5 * S, 15);
        client.put("/aes256/tampered", plain);
        damage("aes256", "tampered", n -> n - 3 * S, 1); // inside segment 2 of 5
        assertThatThrownBy(() -> client.get("/aes256/tampered"))
                .as("a tampered body must abort the response, not complete it")
                .isInstanceOf(IOException.class);
        // A range entirely before the damage is still served and correct.
        HttpResponse<byte[]> r = client.get("/aes256/tampered", "Range", "bytes=0-" + (S - 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOf(plain, S));
    }

    /**
     * A damaged single-segment object fails before any byte is released: the client gets OSS's 500
     * InternalError, not the container's error page the app's own error handling would produce.
     */
    @Test
    void tamperedFirstSegment_beforeAnyByteWasSent_isAnOssInternalError() throws Exception {
        byte[] plain = Reference.random(1000, 19);
        client.put("/aes256/onesegment", plain);
        damage("aes256", "onesegment", n -> n - 100, 0x40);

        for (HttpResponse<byte[]> r : List.of(client.get("/aes256/onesegment"), client.get("/aes256/onesegment", "Range", "bytes=0-9"))) {
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/xml");
            assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InternalError");
            assertThat(indexOf(r.body(), Arrays.copyOf(plain, 16))).isNegative();
        }
    }

    @Test
    void tamperedHeader_isAnErrorBeforeAnyByte() throws Exception {
        byte[] plain = Reference.random(1000, 16);
        client.put("/sm4/badheader", plain);
        damage("sm4", "badheader", n -> 20, 0x10); // inside the salt: the header MAC fails
        HttpResponse<byte[]> r = client.get("/sm4/badheader");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("InternalError");
        assertThat(indexOf(r.body(), Arrays.copyOf(plain, 16))).isNegative();
    }

    /** Damage to the magic itself must not turn an encrypted object into "plaintext" served as its ciphertext. */
    @ParameterizedTest(name = "byte {0}")
    @ValueSource(ints = {0, 1, 3})
    void damagedMagic_isAnError_neverTheCiphertextAsTheObject(int at) throws Exception {
        byte[] plain = Reference.random(2 * S + 10, 18);
        client.put("/aes256/badmagic", plain);
        byte[] disk = damage("aes256", "badmagic", n -> at, 0x01);

        for (HttpResponse<byte[]> r : List.of(client.get("/aes256/badmagic"), client.head("/aes256/badmagic"),
                client.get("/aes256/badmagic", "Range", "bytes=10-20"))) {
            assertThat(r.statusCode()).as(r.request().method() + " " + r.request().headers().map()).isEqualTo(500);
            assertThat(indexOf(r.body(), Arrays.copyOfRange(disk, 200, 232))).isNegative(); // no ciphertext either
        }
        assertThat(TestClient.child(TestClient.xml(client.get("/aes256/badmagic")), "Code")).isEqualTo("InternalError");
    }

    @Test
    void objectTruncatedAtSegmentBoundary_isRefused() throws Exception {
        byte[] plain = Reference.random(3 * S, 17);
        client.put("/aes256/cut", plain);
        Path f = stored("aes256", "cut");
        byte[] disk = Files.readAllBytes(f);
        int header = ObjectHeader.parse(disk, 0, disk.length).length();
        Files.write(f, Arrays.copyOf(disk, header + 2 * (S + 16))); // the final segment is gone
        HttpResponse<byte[]> r;
        try {
            r = client.get("/aes256/cut");
        } catch (IOException aborted) {
            return; // aborted mid-body: acceptable, no wrong bytes were completed
        }
        assertThat(r.statusCode()).isNotEqualTo(200);
    }

    @Test
    void concurrentUploadsAndDownloads_doNotCrossTalk() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    String bucket = n % 2 == 0 ? "aes256" : "sm4";
                    byte[] plain = Reference.random(1000 + n * 37_000, 100 + n);
                    for (int round = 0; round < 3; round++) {
                        assertThat(client.put("/" + bucket + "/c" + n, plain).statusCode()).isEqualTo(200);
                        assertThat(client.get("/" + bucket + "/c" + n).body()).isEqualTo(plain);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static long[] resolve(String spec, long size) {
        int dash = spec.indexOf('-');
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) {
            long n = Math.min(Long.parseLong(b), size);
            return new long[] {size - n, size - 1};
        }
        long start = Long.parseLong(a);
        long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        return new long[] {start, end};
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
