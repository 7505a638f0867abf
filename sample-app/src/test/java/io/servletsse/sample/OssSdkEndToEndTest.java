package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.SSEAlgorithm;
import com.aliyun.oss.model.ServerSideEncryptionByDefault;
import com.aliyun.oss.model.ServerSideEncryptionConfiguration;
import com.aliyun.oss.model.SetBucketEncryptionRequest;
import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.ObjectHeader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Aliyun OSS Java SDK (CRC checking on, V1 and V4 signatures) against the sample app with
 * the filter in front: the bucket encryption API, object round trips whose metadata shows the SSE
 * values, and the permissions of the access configuration.
 */
class OssSdkEndToEndTest {
    static final String REGION = "cn-hangzhou";
    static final String ADMIN_AK = "LTAI5tSdkAdmin000001";
    static final String ADMIN_SK = "admin-secret+/=";
    static final String WRITER_AK = "LTAI5tSdkWriter00001";
    static final String WRITER_SK = "writer-secret";

    @TempDir
    static Path tempDir;

    static Path dataDir;
    static SampleApp.Running app;
    static String endpoint;
    final List<OSS> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path config = tempDir.resolve("sse.json");
        Files.writeString(config, """
                {
                  "dataDirectory": "unused",
                  "buckets": { "fixed": { "SSEAlgorithm": "AES256" } },
                  "access": {
                    "identity": "accessKey",
                    "accountId": "1416614965936597",
                    "region": "cn-hangzhou",
                    "users": [
                      {"name": "admin", "accessKeyId": "%s", "accessKeySecret": "%s", "policies": ["all"]},
                      {"name": "writer", "accessKeyId": "%s", "accessKeySecret": "%s", "policies": ["objects"]}
                    ],
                    "policies": {
                      "all": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                      "objects": {"Version": "1", "Statement": [{"Effect": "Allow",
                         "Action": ["oss:PutObject", "oss:GetObject", "oss:PutBucket", "oss:GetBucketInfo"],
                         "Resource": "acs:oss:*:1416614965936597:*"}]}
                    }
                  }
                }""".formatted(ADMIN_AK, ADMIN_SK, WRITER_AK, WRITER_SK));
        dataDir = tempDir.resolve("data");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(dataDir).withSseConfig(config.toString()));
        endpoint = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void shutdownClients() {
        clients.forEach(OSS::shutdown);
    }

    OSS client(String ak, String sk, SignVersion version) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(version);
        conf.setMaxErrorRetry(0);
        OSS oss = OSSClientBuilder.create().endpoint(endpoint).credentialsProvider(new DefaultCredentialProvider(ak, sk))
                .clientConfiguration(conf).region(REGION).build();
        clients.add(oss);
        return oss;
    }

    static Stream<Arguments> algorithms() {
        return Stream.of(
                Arguments.of(SSEAlgorithm.AES256, SignVersion.V1, ContentAlgorithm.AES_256_GCM),
                Arguments.of(SSEAlgorithm.SM4, SignVersion.V1, ContentAlgorithm.SM4_GCM),
                Arguments.of(SSEAlgorithm.AES256, SignVersion.V4, ContentAlgorithm.AES_256_GCM),
                Arguments.of(SSEAlgorithm.SM4, SignVersion.V4, ContentAlgorithm.SM4_GCM));
    }

    @ParameterizedTest(name = "{0} signed {1}")
    @MethodSource("algorithms")
    void bucketDefault_setOverTheApi_encryptsSdkUploads(SSEAlgorithm alg, SignVersion version, ContentAlgorithm stored)
            throws Exception {
        OSS oss = client(ADMIN_AK, ADMIN_SK, version);
        String bucket = ("sdk-" + alg + "-" + version).toLowerCase();
        oss.createBucket(bucket);

        ServerSideEncryptionConfiguration cfg = new ServerSideEncryptionConfiguration();
        cfg.setApplyServerSideEncryptionByDefault(new ServerSideEncryptionByDefault(alg));
        oss.setBucketEncryption(new SetBucketEncryptionRequest(bucket, cfg));
        ServerSideEncryptionConfiguration got = oss.getBucketEncryption(bucket);
        assertThat(got.getApplyServerSideEncryptionByDefault().getSSEAlgorithm()).isEqualTo(alg.toString());
        assertThat(got.getApplyServerSideEncryptionByDefault().getKMSMasterKeyID()).isNull();
        assertThat(got.getApplyServerSideEncryptionByDefault().getKMSDataEncryption()).isNull();

        byte[] plain = Reference.random(200_000, alg.hashCode() + version.hashCode());
        PutObjectRequest put = new PutObjectRequest(bucket, "dir/a b.bin", new ByteArrayInputStream(plain));
        put.setProcess(""); // makes the SDK keep the response (its own tests read headers this way)
        PutObjectResult pr = oss.putObject(put); // CRC-64 of the plaintext checked by the SDK
        assertThat(pr.getResponse().getHeaders()).containsEntry("x-oss-server-side-encryption", alg.toString());

        byte[] disk = Files.readAllBytes(dataDir.resolve("objects").resolve(bucket).resolve("dir/a b.bin"));
        assertThat(ObjectHeader.parse(disk, 0, disk.length).algorithm()).isEqualTo(stored);

        try (OSSObject o = oss.getObject(bucket, "dir/a b.bin"); InputStream in = o.getObjectContent()) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo(alg.toString());
            assertThat(o.getObjectMetadata().getContentLength()).isEqualTo(plain.length);
        }
        ObjectMetadata head = oss.getObjectMetadata(bucket, "dir/a b.bin");
        assertThat(head.getContentLength()).isEqualTo(plain.length);
        assertThat(head.getServerSideEncryption()).isEqualTo(alg.toString());

        GetObjectRequest ranged = new GetObjectRequest(bucket, "dir/a b.bin");
        ranged.setRange(70_000, 70_099);
        try (OSSObject o = oss.getObject(ranged); InputStream in = o.getObjectContent()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 70_000, 70_100));
        }
        Path file = tempDir.resolve(bucket + ".download");
        oss.getObject(new GetObjectRequest(bucket, "dir/a b.bin"), file.toFile()); // CRC checked on files
        assertThat(Files.readAllBytes(file)).isEqualTo(plain);

        oss.deleteBucketEncryption(bucket);
        assertThatThrownBy(() -> oss.getBucketEncryption(bucket))
                .isInstanceOfSatisfying(OSSException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchServerSideEncryptionRule"));
        // The object keeps its own method after the rule is gone.
        assertThat(oss.getObjectMetadata(bucket, "dir/a b.bin").getServerSideEncryption()).isEqualTo(alg.toString());
    }

    @Test
    void objectHeader_overridesBucketDefault_andMetadataShowsIt() throws Exception {
        OSS oss = client(ADMIN_AK, ADMIN_SK, SignVersion.V1);
        oss.createBucket("sdk-override");
        ObjectMetadata md = new ObjectMetadata();
        md.setServerSideEncryption("SM4");
        byte[] plain = "override".getBytes();
        oss.putObject(new PutObjectRequest("sdk-override", "k", new ByteArrayInputStream(plain), md));
        try (OSSObject o = oss.getObject("sdk-override", "k")) {
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo("SM4");
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void configFileRule_isReportedByGetBucketEncryption_andBucketInfo() throws Exception {
        OSS oss = client(ADMIN_AK, ADMIN_SK, SignVersion.V1);
        oss.createBucket("fixed");
        assertThat(oss.getBucketEncryption("fixed").getApplyServerSideEncryptionByDefault().getSSEAlgorithm()).isEqualTo("AES256");
        assertThat(oss.getBucketInfo("fixed").getServerSideEncryptionConfiguration()
                .getApplyServerSideEncryptionByDefault().getSSEAlgorithm()).isEqualTo("AES256");
    }

    @Test
    void kmsRule_withoutKms_isKmsServiceNotEnabled() {
        OSS oss = client(ADMIN_AK, ADMIN_SK, SignVersion.V1);
        oss.createBucket("sdk-kms");
        ServerSideEncryptionConfiguration cfg = new ServerSideEncryptionConfiguration();
        cfg.setApplyServerSideEncryptionByDefault(new ServerSideEncryptionByDefault(SSEAlgorithm.KMS));
        assertThatThrownBy(() -> oss.setBucketEncryption(new SetBucketEncryptionRequest("sdk-kms", cfg)))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("KmsServiceNotEnabled"));
    }

    @Test
    void userWithoutBucketEncryptionPermission_isDenied_andRuleUnchanged() {
        OSS admin = client(ADMIN_AK, ADMIN_SK, SignVersion.V1);
        admin.createBucket("sdk-denied");
        OSS writer = client(WRITER_AK, WRITER_SK, SignVersion.V4);
        ServerSideEncryptionConfiguration cfg = new ServerSideEncryptionConfiguration();
        cfg.setApplyServerSideEncryptionByDefault(new ServerSideEncryptionByDefault(SSEAlgorithm.AES256));
        assertThatThrownBy(() -> writer.setBucketEncryption(new SetBucketEncryptionRequest("sdk-denied", cfg)))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("AccessDenied"));
        assertThatThrownBy(() -> writer.getBucketEncryption("sdk-denied"))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("AccessDenied"));
        assertThatThrownBy(() -> admin.getBucketEncryption("sdk-denied"))
                .isInstanceOfSatisfying(OSSException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchServerSideEncryptionRule"));
    }

    @Test
    void badSignature_isSignatureDoesNotMatch_andNothingStored() {
        OSS forger = client(ADMIN_AK, "not-the-secret", SignVersion.V1);
        assertThatThrownBy(() -> forger.putObject("fixed", "forged", new ByteArrayInputStream("x".getBytes())))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch"));
        assertThat(Files.exists(dataDir.resolve("objects/fixed/forged"))).isFalse();
        // HEAD has no body: the SDK reads the code from x-oss-err, as it does from OSS.
        assertThatThrownBy(() -> forger.getObjectMetadata("fixed", "forged"))
                .isInstanceOfSatisfying(OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    void anonymousCaller_withoutPolicies_isDenied() throws Exception {
        OSS admin = client(ADMIN_AK, ADMIN_SK, SignVersion.V1);
        admin.createBucket("fixed");
        admin.putObject("fixed", "private", new ByteArrayInputStream("secret".getBytes()));
        java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint + "/fixed/private")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body())).contains("<Code>AccessDenied</Code>").doesNotContain("secret");
    }
}
