package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.SSEAlgorithm;
import com.aliyun.oss.model.ServerSideEncryptionByDefault;
import com.aliyun.oss.model.ServerSideEncryptionConfiguration;
import com.aliyun.oss.model.SetBucketEncryptionRequest;
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.KeyServicesOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three RAM policies of the OSS server-side encryption guide, pasted as the guide prints them
 * (with their {@code //} comments), attached to users, and exercised with the real OSS Java SDK
 * against the sample app: who may configure a CMK as bucket default, who may upload with it, who
 * may download — including a user who may upload but not decrypt.
 */
class SeedPolicyMatrixTest {
    static final String ACCOUNT = "1416614965936597";

    /** The guide's policy to configure a CMK as a bucket's default encryption, verbatim. */
    static final String CONFIGURE = """
            {
              "Version": "1",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "kms:List*",
                    "kms:DescribeKey"    
                  ],
                  "Resource": [
                    "acs:kms:*:1416614965936597:*" //This example allows the user to use all CMKs under the account. To restrict the user to use only one CMK, input the CMK ID.
                  ]
                }
              ]
            }""";
    /** The guide's policy to upload to a bucket whose default encryption uses a CMK, verbatim. */
    static final String UPLOAD = """
            {
              "Version": "1",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "kms:List*",
                    "kms:DescribeKey",
                    "kms:GenerateDataKey"
                  ],
                  "Resource": [
                    "acs:kms:*:1416614965936597:*"//This example allows the user to use all CMKs under the account. To restrict the user to use only one CMK, input the CMK ID.
                  ]
                }
              ]
            }""";
    /** The guide's policy to download objects encrypted with a CMK, verbatim. */
    static final String DOWNLOAD = """
            {
              "Version": "1",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                "kms:Decrypt"
                  ],
                  "Resource": [
                    "acs:kms:*:1416614965936597:*"//This example indicates that the RAM user has the permission to decrypt data using all CMKs. To decrypt data using a specified CMK, input the CMK ID.
                  ]
                }
              ]
            }""";

    @TempDir
    static Path tempDir;
    static SampleApp.Running app;
    static String cmk;
    static String endpoint;
    final List<OSS> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path config = tempDir.resolve("sse.json");
        String user = "{\"name\": \"%s\", \"accessKeyId\": \"LTAI5t%sKey000000\", \"accessKeySecret\": \"%s-secret\", \"policies\": [%s]}";
        Files.writeString(config, """
                {
                  "dataDirectory": "unused",
                  "keys": { "kms": { "backend": "local" } },
                  "access": {
                    "identity": "accessKey", "accountId": "%s", "region": "cn-hangzhou",
                    "users": [%s, %s, %s, %s],
                    "policies": {
                      "bucket-admin": {"Version": "1", "Statement": [{"Effect": "Allow",
                          "Action": ["oss:PutBucketEncryption", "oss:GetBucketEncryption", "oss:DeleteBucketEncryption"],
                          "Resource": "acs:oss:*:%s:*"}]},
                      "objects": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:PutObject", "oss:GetObject"],
                          "Resource": "acs:oss:*:%s:*/*"}]},
                      "configure-cmk": %s,
                      "upload-with-cmk": %s,
                      "download-with-cmk": %s
                    }
                  }
                }""".formatted(ACCOUNT,
                user.formatted("admin", "Admin", "admin", "\"bucket-admin\", \"configure-cmk\", \"objects\""),
                user.formatted("nocmk", "Nocmk", "nocmk", "\"bucket-admin\", \"objects\""),
                user.formatted("writer", "Write", "writer", "\"objects\", \"upload-with-cmk\""),
                user.formatted("reader", "Reads", "reader", "\"objects\", \"upload-with-cmk\", \"download-with-cmk\""),
                ACCOUNT, ACCOUNT, CONFIGURE, UPLOAD, DOWNLOAD));
        Path data = tempDir.resolve("data");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data).withSseConfig(config.toString()));
        endpoint = "http://127.0.0.1:" + app.port();
        // An operator creates a customer CMK with the key services on the same data directory.
        try (KeyServices keys = KeyServices.open(KeyServicesOptions.builder(data.resolve("sse")).kmsEnabled(true).localBackend().build())) {
            cmk = keys.keyAdmin().createKey("customer key").keyId();
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void shutdown() {
        clients.forEach(OSS::shutdown);
    }

    OSS as(String name, String akPart) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V4);
        conf.setMaxErrorRetry(0);
        OSS oss = OSSClientBuilder.create().endpoint(endpoint)
                .credentialsProvider(new DefaultCredentialProvider("LTAI5t" + akPart + "Key000000", name + "-secret"))
                .clientConfiguration(conf).region("cn-hangzhou").build();
        clients.add(oss);
        return oss;
    }

    static SetBucketEncryptionRequest kmsDefault(String bucket, String keyId) {
        ServerSideEncryptionByDefault d = new ServerSideEncryptionByDefault(SSEAlgorithm.KMS);
        d.setKMSMasterKeyID(keyId);
        ServerSideEncryptionConfiguration c = new ServerSideEncryptionConfiguration();
        c.setApplyServerSideEncryptionByDefault(d);
        return new SetBucketEncryptionRequest(bucket, c);
    }

    static String code(Throwable t) {
        return ((OSSException) t).getErrorCode();
    }

    @Test
    void configuringACmkAsBucketDefault_needsListAndDescribe() {
        OSS admin = as("admin", "Admin");
        admin.createBucket("cfg-ok");
        admin.setBucketEncryption(kmsDefault("cfg-ok", cmk));
        var got = admin.getBucketEncryption("cfg-ok").getApplyServerSideEncryptionByDefault();
        assertThat(got.getSSEAlgorithm()).isEqualTo("KMS");
        assertThat(got.getKMSMasterKeyID()).isEqualTo(cmk);

        OSS nocmk = as("nocmk", "Nocmk");
        nocmk.createBucket("cfg-denied");
        assertThatThrownBy(() -> nocmk.setBucketEncryption(kmsDefault("cfg-denied", cmk)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        // The default CMK needs no KMS permission (OSS: only "when you use a specified CMK ID").
        nocmk.setBucketEncryption(kmsDefault("cfg-denied", null));
        assertThatThrownBy(() -> admin.setBucketEncryption(kmsDefault("cfg-ok", "0f2c4a8e-0000-4000-8000-000000000000")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("KeyNotFound"));
    }

    @Test
    void uploadWithTheCmk_needsGenerateDataKey_downloadNeedsDecrypt() throws Exception {
        OSS admin = as("admin", "Admin");
        admin.createBucket("matrix");
        admin.setBucketEncryption(kmsDefault("matrix", cmk));
        byte[] plain = Reference.random(50_000, 41);

        // admin: may configure, but the guide's configure policy does not include GenerateDataKey.
        assertThatThrownBy(() -> admin.putObject("matrix", "by-admin", new ByteArrayInputStream(plain)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        assertThat(Files.exists(app.dataDir().resolve("objects/matrix/by-admin"))).isFalse();

        // writer: may upload with the CMK, but not decrypt what it uploaded.
        OSS writer = as("writer", "Write");
        writer.putObject("matrix", "w", new ByteArrayInputStream(plain));
        assertThat(Files.readAllBytes(app.dataDir().resolve("objects/matrix/w"))[0]).isEqualTo((byte) 0x89);
        assertThatThrownBy(() -> writer.getObject("matrix", "w").close())
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                .hasMessageContaining("forbidden by kms");

        // reader: may do both.
        OSS reader = as("reader", "Reads");
        try (OSSObject o = reader.getObject("matrix", "w")) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(plain);
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo("KMS");
            assertThat(o.getObjectMetadata().getServerSideEncryptionKeyId()).isEqualTo(cmk);
        }
        // The object is now in the download cache; the writer is still asked for kms:Decrypt.
        assertThatThrownBy(() -> writer.getObject("matrix", "w").close())
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                .hasMessageContaining("forbidden by kms");
        try (OSSObject o = reader.getObject("matrix", "w")) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(plain);
        }
        ObjectMetadata md = new ObjectMetadata();
        md.setServerSideEncryption("KMS");
        md.setServerSideEncryptionKeyId(cmk);
        md.setServerSideDataEncryption("SM4");
        reader.putObject(new PutObjectRequest("matrix", "sm4", new ByteArrayInputStream(plain), md));
        try (OSSObject o = reader.getObject("matrix", "sm4")) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(plain);
            assertThat(o.getObjectMetadata().getServerSideDataEncryption()).isEqualTo("SM4");
        }
    }
}
