package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.Crc64;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.EncryptionRule;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EncryptExistingCommandTest extends CliCommandTest {
    @Test
    void plaintextObjects_areEncryptedUnderTheBucketsRule_andReadBackAsBefore() throws Exception {
        byte[] a = CliFixture.bytes(300_000, 1);
        byte[] b = new byte[0];
        Path fa = fx.storePlain("sm4", "a.bin", a);
        Path fb = fx.storePlain("sm4", "nested/dir/b.txt", b);
        Files.setPosixFilePermissions(fa, PosixFilePermissions.fromString("rw-r-----"));

        CliFixture.Result r = fx.run("encrypt-existing", fx.objects.resolve("sm4").toString(), "--bucket", "sm4");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("encrypted 2 of 2 files under SM4; 0 already encrypted, 0 problems");
        for (Path f : new Path[] {fa, fb}) {
            ObjectHeader h = CliFixture.header(f);
            assertThat(h.algorithm()).isEqualTo(ContentAlgorithm.SM4_GCM);
            assertThat(h.keyEnvelope().keyId()).isEqualTo("SM4@v1");
        }
        assertThat(fx.readAsFilter(fa)).isEqualTo(a);
        assertThat(fx.readAsFilter(fb)).isEqualTo(b);
        assertThat(Files.getPosixFilePermissions(fa)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(fx.run("verify", fx.objects.toString()).out()).contains("2 ok, 0 plaintext");
    }

    @Test
    void alreadyEncryptedObjects_areSkippedUntouched_andARerunDoesNothing() throws Exception {
        Path enc = fx.storeEncrypted("aes256", "enc", CliFixture.bytes(1000, 2));
        byte[] encBytes = Files.readAllBytes(enc);
        fx.storePlain("aes256", "plain", "legacy".getBytes());
        String dir = fx.objects.resolve("aes256").toString();

        CliFixture.Result first = fx.run("encrypt-existing", dir, "--bucket", "aes256");
        byte[] converted = Files.readAllBytes(fx.objects.resolve("aes256/plain"));
        CliFixture.Result second = fx.run("encrypt-existing", dir, "--bucket", "aes256");

        assertThat(first.out()).contains(enc + ": already encrypted, skipped").contains("encrypted 1 of 2 files");
        assertThat(second.out()).contains("encrypted 0 of 2 files under AES256; 2 already encrypted");
        assertThat(Files.readAllBytes(enc)).isEqualTo(encBytes);
        assertThat(Files.readAllBytes(fx.objects.resolve("aes256/plain"))).isEqualTo(converted);
    }

    @Test
    void kmsBucket_andAPlainEnvelope_areConverted() throws Exception {
        byte[] body = new byte[5000];
        System.arraycopy(ObjectHeader.magic(), 0, body, 0, 4); // a plaintext upload that began with the magic
        Path env = fx.objects.resolve("kms").resolve("env");
        Files.createDirectories(env.getParent());
        try (InputStream in = ObjectCrypto.encryptingStream(ObjectHeader.plainEnvelope(), null, new ByteArrayInputStream(body))) {
            Files.write(env, in.readAllBytes());
        }

        CliFixture.Result r = fx.run("encrypt-existing", env.getParent().toString(), "--bucket", "kms");

        assertThat(r.exit()).isZero();
        assertThat(CliFixture.header(env).keyEnvelope().provider()).isEqualTo("kms");
        assertThat(fx.readAsFilter(env)).isEqualTo(body);
    }

    @Test
    void aFileWithTheMagicButNoValidHeader_isReportedAndLeftAlone() throws Exception {
        byte[] fake = CliFixture.bytes(2000, 3);
        System.arraycopy(ObjectHeader.magic(), 0, fake, 0, 4);
        Path f = fx.storePlain("aes256", "fake", fake);

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(f + ": begins with the format's magic but has no valid header");
        assertThat(Files.readAllBytes(f)).isEqualTo(fake);
    }

    @Test
    void sampleAppSidecar_getsTheNewSizeMd5AndCrc_andKeepsItsHeaders() throws Exception {
        Path f = fx.storePlain("aes256", "doc.txt", "the report".getBytes());
        Path meta = tmp.resolve("meta");
        Path sidecar = meta.resolve("aes256").resolve("doc.txt");
        Files.createDirectories(sidecar.getParent());
        Files.writeString(sidecar, "size=10\netag=OLD\ncrc64ecma=1\nheader.Content-Type=text/plain\n");

        CliFixture.Result r = fx.run("encrypt-existing", fx.objects.resolve("aes256").toString(), "--bucket", "aes256",
                "--meta", meta.resolve("aes256").toString());

        assertThat(r.out()).contains("sidecar updated");
        byte[] stored = Files.readAllBytes(f);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(sidecar)) {
            p.load(in);
        }
        Crc64 crc = new Crc64();
        crc.update(stored, 0, stored.length);
        assertThat(p.getProperty("size")).isEqualTo(Long.toString(stored.length));
        assertThat(p.getProperty("etag")).isEqualTo(HexFormat.of().withUpperCase().formatHex(
                MessageDigest.getInstance("MD5").digest(stored)));
        assertThat(p.getProperty("crc64ecma")).isEqualTo(crc.toUnsignedString());
        assertThat(p.getProperty("header.Content-Type")).isEqualTo("text/plain");
    }

    /** A bucket directory on another volume (a symbolic link): the sidecar updated is the object's own, not the object. */
    @Test
    void bucketDirectoryBehindASymlink_updatesTheRightSidecar() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("volume/deep/aes256"));
        Files.writeString(volume.resolve("doc.txt"), "the report");
        Files.delete(Files.createDirectories(fx.objects.resolve("aes256")));
        Path link = Files.createSymbolicLink(fx.objects.resolve("aes256"), volume);
        Path meta = tmp.resolve("meta");
        Path sidecar = Files.createDirectories(meta.resolve("aes256")).resolve("doc.txt");
        Files.writeString(sidecar, "size=10\netag=OLD\nheader.Content-Type=text/plain\n");

        CliFixture.Result r = fx.run("encrypt-existing", link.toString(), "--bucket", "aes256",
                "--meta", meta.resolve("aes256").toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        byte[] stored = Files.readAllBytes(volume.resolve("doc.txt"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(Files.readString(sidecar)).contains("size=" + stored.length).contains("header.Content-Type=text/plain");
    }

    /** A name near the 255-byte limit: the temp files beside it (object, sidecar) must still fit. */
    @Test
    void anObjectWithANameNearTheFileNameLimit_isConverted_andItsSidecarUpdated() throws Exception {
        String name = "é".repeat(120) + "-report.csv"; // 251 bytes in UTF-8
        Path f = fx.storePlain("aes256", name, "the report".getBytes());
        Path meta = tmp.resolve("meta");
        Path sidecar = Files.createDirectories(meta.resolve("aes256")).resolve(name);
        Files.writeString(sidecar, "size=10\netag=OLD\n");

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256",
                "--meta", meta.resolve("aes256").toString());

        assertThat(r.exit()).as(r.out()).isZero();
        byte[] stored = Files.readAllBytes(f);
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(Files.readString(sidecar)).contains("size=" + stored.length);
    }

    /** The filter's own keys must never be encrypted under themselves: every object would be lost. */
    @Test
    void aDirectoryHoldingTheKeys_isRefused_andNothingChanges() throws Exception {
        byte[] rootKey = Files.readAllBytes(fx.dir.resolve("root.key"));
        Path object = fx.storeEncrypted("aes256", "made-keys", "x".getBytes()); // the master keys now exist under sse/

        for (Path refused : new Path[] {fx.dir, fx.state, fx.state.resolve("sse-oss")}) {
            CliFixture.Result r = fx.run("encrypt-existing", refused.toString(), "--bucket", "aes256");
            assertThat(r.exit()).as(refused.toString()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("where the filter keeps its keys");
        }
        assertThat(Files.readAllBytes(fx.dir.resolve("root.key"))).isEqualTo(rootKey);
        Path out = tmp.resolve("made-keys.out");
        assertThat(fx.run("decrypt", object.toString(), "-o", out.toString()).exit()).isZero();
        assertThat(Files.readString(out)).isEqualTo("x");
    }

    @Test
    void aFileWithOtherHardLinks_isNotConverted_soNoPlaintextNameIsLeftBehind() throws Exception {
        Path f = fx.storePlain("aes256", "linked", "secret".getBytes());
        Path other = Files.createLink(tmp.resolve("other-name"), f);

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(f + ": has 2 hard links");
        assertThat(Files.readString(f)).isEqualTo("secret");
        assertThat(Files.isSameFile(f, other)).isTrue();
    }

    @Test
    void jsonOutput_isOneObjectPerLine_withASummary() throws Exception {
        fx.storePlain("aes256", "a", "one".getBytes());
        fx.storeEncrypted("aes256", "b", "two".getBytes());

        var lines = VerifyCommandTest.json(fx.run("--json", "encrypt-existing", fx.objects.resolve("aes256").toString(),
                "--bucket", "aes256"));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("status").asText()).isEqualTo("encrypted");
        assertThat(lines.get(0).get("keyId").asText()).isEqualTo("AES256@v1");
        assertThat(lines.get(1).get("status").asText()).isEqualTo("already-encrypted");
        assertThat(lines.get(2).get("summary").asText()).isEqualTo("encrypt-existing");
        assertThat(lines.get(2).get("encrypted").asInt()).isEqualTo(1);
        assertThat(lines.get(2).get("alreadyEncrypted").asInt()).isEqualTo(1);
    }

    @Test
    void dryRun_changesNothing() throws Exception {
        byte[] content = "legacy".getBytes();
        Path f = fx.storePlain("aes256", "x", content);

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256", "--dry-run");

        assertThat(r.out()).contains(f + ": would encrypt 6 B under AES256");
        assertThat(Files.readAllBytes(f)).isEqualTo(content);
    }

    @Test
    void bucketWithoutARule_isAUsageError_andNothingChanges() throws Exception {
        Path f = fx.storePlain("plain", "x", "legacy".getBytes());

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "plain");

        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("bucket plain has no encryption rule");
        assertThat(Files.readString(f)).isEqualTo("legacy");
    }

    @Test
    void ruleSetOverTheBucketEncryptionApi_winsOverTheFile() throws Exception {
        fx.runtime().rules().put("plain", EncryptionRule.sm4());
        Path f = fx.storePlain("plain", "x", "legacy".getBytes());

        assertThat(fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "plain").exit()).isZero();
        assertThat(CliFixture.header(f).algorithm()).isEqualTo(ContentAlgorithm.SM4_GCM);
    }

    /** The temp file an interrupted run recorded is deleted; a stored object that merely has such a name is an object. */
    @Test
    void theInterruptedRunsTempFile_isDeleted_anObjectNamedLikeOne_isEncrypted() throws Exception {
        Path f = fx.storePlain("aes256", "x", "legacy".getBytes());
        Path leftover = Files.writeString(f.resolveSibling(".x.servlet-sse-12345.tmp"), "half");
        new TempLedger(fx.state).record(leftover); // what the run did before it was killed
        Path lookalike = fx.storePlain("aes256", ".y.servlet-sse-777.tmp", "an upload with an odd name".getBytes());

        CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains(leftover + ": deleted temp file of an interrupted run").contains("encrypted 2 of 2 files");
        assertThat(leftover).doesNotExist();
        assertThat(fx.state.resolve("cli-journal/temp")).doesNotExist();
        Path out = tmp.resolve("lookalike.out");
        assertThat(fx.run("decrypt", lookalike.toString(), "-o", out.toString()).exit()).isZero();
        assertThat(Files.readString(out)).isEqualTo("an upload with an odd name");
    }
}
