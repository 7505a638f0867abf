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
import io.servletsse.kms.KeyServices;
import io.servletsse.kms.KeyServicesOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
 * A CMK named by its alias is governed by the policies on the key as well as those on the alias
 * (docs/PERMISSIONS.md, "Resources"), over the real OSS SDK against the sample app; and HEAD,
 * which unwraps no key, needs no kms:Decrypt.
 */
class CmkAliasPermissionsTest {
    static final String ACCOUNT = SeedPolicyMatrixTest.ACCOUNT;

    @TempDir
    static Path tempDir;
    static SampleApp.Running app;
    static String cmk;
    static String endpoint;
    final List<OSS> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path data = tempDir.resolve("data");
        // The operator creates the CMK and its alias first, so that the policies can name the key.
        try (KeyServices keys = KeyServices.open(KeyServicesOptions.builder(data.resolve("sse")).kmsEnabled(true).localBackend().build())) {
            cmk = keys.keyAdmin().createKey("reports key").keyId();
            keys.keyAdmin().createAlias("alias/reports", cmk);
        }
        String user = "{\"name\": \"%s\", \"accessKeyId\": \"LTAI5t%sKey000000\", \"accessKeySecret\": \"%s-secret\", \"policies\": [%s]}";
        Path config = tempDir.resolve("sse.json");
        Files.writeString(config, """
                {
                  "dataDirectory": "unused",
                  "keys": { "kms": { "backend": "local" } },
                  "access": {
                    "identity": "accessKey", "accountId": "%1$s", "region": "cn-hangzhou",
                    "users": [%2$s, %3$s, %4$s],
                    "policies": {
                      "oss": {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:*"], "Resource": "acs:oss:*:%1$s:*"}]},
                      "every-cmk-but-this": {"Version": "1", "Statement": [
                        {"Effect": "Allow", "Action": "kms:*", "Resource": "acs:kms:*:%1$s:*"},
                        {"Effect": "Deny", "Action": "kms:*", "Resource": "acs:kms:*:%1$s:key/%5$s"}]},
                      "only-this-cmk": {"Version": "1", "Statement": [
                        {"Effect": "Allow", "Action": "kms:*", "Resource": "acs:kms:*:%1$s:key/%5$s"}]},
                      "upload-only": {"Version": "1", "Statement": [
                        {"Effect": "Allow", "Action": ["kms:List*", "kms:DescribeKey", "kms:GenerateDataKey"],
                         "Resource": "acs:kms:*:%1$s:*"}]}
                    }
                  }
                }""".formatted(ACCOUNT,
                user.formatted("bob", "Bobby", "bob", "\"oss\", \"every-cmk-but-this\""),
                user.formatted("erin", "Erinn", "erin", "\"oss\", \"only-this-cmk\""),
                user.formatted("writer", "Write", "writer", "\"oss\", \"upload-only\""),
                cmk));
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(data).withSseConfig(config.toString()));
        endpoint = "http://127.0.0.1:" + app.port();
        OSS erin = as("erin", "Erinn");
        try {
            erin.createBucket("reports");
        } finally {
            erin.shutdown();
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

    static OSS as(String name, String akPart) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V4);
        conf.setMaxErrorRetry(0);
        return OSSClientBuilder.create().endpoint(endpoint)
                .credentialsProvider(new DefaultCredentialProvider("LTAI5t" + akPart + "Key000000", name + "-secret"))
                .clientConfiguration(conf).region("cn-hangzhou").build();
    }

    OSS client(String name, String akPart) {
        OSS oss = as(name, akPart);
        clients.add(oss);
        return oss;
    }

    static PutObjectRequest kmsUpload(String key, byte[] plain, String cmkId) {
        ObjectMetadata md = new ObjectMetadata();
        md.setServerSideEncryption("KMS");
        md.setServerSideEncryptionKeyId(cmkId);
        return new PutObjectRequest("reports", key, new ByteArrayInputStream(plain), md);
    }

    static String code(Throwable t) {
        return ((OSSException) t).getErrorCode();
    }

    @Test
    void aDenyOnTheKey_holdsWhenTheKeyIsNamedByItsAlias() {
        OSS bob = client("bob", "Bobby");
        byte[] plain = "quarterly figures".getBytes(StandardCharsets.UTF_8);

        for (String named : List.of(cmk, "alias/reports")) {
            assertThatThrownBy(() -> bob.putObject(kmsUpload("by-bob", plain, named)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                    .hasMessageContaining("forbidden by kms");
            assertThatThrownBy(() -> bob.setBucketEncryption(SeedPolicyMatrixTest.kmsDefault("reports", named)))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                    .hasMessageContaining("forbidden by kms");
        }
        assertThat(Files.exists(app.dataDir().resolve("objects/reports/by-bob"))).isFalse();
        assertThatThrownBy(() -> bob.getBucketEncryption("reports"))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchServerSideEncryptionRule"));
    }

    @Test
    void anAllowOnTheKey_coversItsAlias_andTheObjectRecordsTheKeyId() throws Exception {
        OSS erin = client("erin", "Erinn");
        byte[] plain = Reference.random(20_000, 7);

        erin.putObject(kmsUpload("by-alias", plain, "alias/reports"));
        try (OSSObject o = erin.getObject("reports", "by-alias")) {
            assertThat(o.getObjectContent().readAllBytes()).isEqualTo(plain);
            assertThat(o.getObjectMetadata().getServerSideEncryption()).isEqualTo("KMS");
            assertThat(o.getObjectMetadata().getServerSideEncryptionKeyId()).isEqualTo(cmk);
        }
        assertThat(new String(Files.readAllBytes(app.dataDir().resolve("objects/reports/by-alias")), StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(plain, 0, 64, StandardCharsets.ISO_8859_1));
        // erin holds no Allow on other CMKs: an alias that names none is not a way around that.
        assertThatThrownBy(() -> erin.putObject(kmsUpload("no-alias", plain, "alias/none")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
    }

    @Test
    void head_needsNoDecrypt_butGetDoes() throws Exception {
        OSS writer = client("writer", "Write");
        byte[] plain = Reference.random(10_000, 9);
        writer.putObject(kmsUpload("w", plain, cmk));

        ObjectMetadata md = writer.getObjectMetadata("reports", "w");
        assertThat(md.getContentLength()).isEqualTo(plain.length);
        assertThat(md.getServerSideEncryption()).isEqualTo("KMS");
        assertThat(md.getServerSideEncryptionKeyId()).isEqualTo(cmk);
        assertThatThrownBy(() -> writer.getObject("reports", "w").close())
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"))
                .hasMessageContaining("forbidden by kms");
    }

    @Test
    void theDefaultCmkByName_isAcceptedAsBucketDefault_beforeItExists() throws Exception {
        // A fresh data directory: alias/acs/oss is created on its first use, not when the rule is set.
        try (SampleApp.Running fresh = SampleApp.start(SampleApp.Options.defaults().withPort(0)
                .withDataDir(tempDir.resolve("fresh")))) {
            TestClient c = new TestClient(fresh);
            c.createBucket("kms-default");
            String xml = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>KMS</SSEAlgorithm>"
                    + "<KMSMasterKeyID>alias/acs/oss</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";
            assertThat(c.put("/kms-default?encryption", xml.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);

            var put = c.put("/kms-default/a.txt", "under the default CMK".getBytes(StandardCharsets.UTF_8));
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("KMS");
            assertThat(new String(c.get("/kms-default/a.txt").body(), StandardCharsets.UTF_8)).isEqualTo("under the default CMK");
        }
    }
}
