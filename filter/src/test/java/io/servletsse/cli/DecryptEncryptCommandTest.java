package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.ObjectHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DecryptEncryptCommandTest extends CliCommandTest {
    @Test
    void decrypt_writesThePlaintextTheFilterWouldServe() throws Exception {
        byte[] plain = CliFixture.bytes(1_000_000, 1);
        Path f = fx.storeEncrypted("kms", "big", plain);
        Path out = tmp.resolve("big.out");

        CliFixture.Result r = fx.run("decrypt", f.toString(), "-o", out.toString());

        assertThat(r.exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(plain);
        assertThat(r.out()).contains("decrypted 1000000 B");
    }

    @Test
    void decryptOfATamperedObject_failsAndLeavesNoOutput() throws Exception {
        Path f = fx.storeEncrypted("aes256", "x", CliFixture.bytes(300_000, 2));
        VerifyCommandTest.flip(f, 1024 + 4 * (65_536 + 16) + 5); // last segment
        Path out = tmp.resolve("x.out");

        CliFixture.Result r = fx.run("decrypt", f.toString(), "-o", out.toString());

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains("NOT decrypted, SEGMENT_AUTHENTICATION_FAILED");
        assertThat(out).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("servlet-sse"));
        }
    }

    @Test
    void decryptToStdout_streamsThePlaintext_andReportsOnStderr() {
        Path f = fx.storeEncrypted("sm4", "s", "secret report\n".getBytes());

        CliFixture.Result r = fx.run("decrypt", f.toString(), "-o", "-");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("secret report\n");
        assertThat(r.err()).contains("decrypted 14 B");
    }

    /** A full disk or a closed pipe behind "-o -": a PrintStream would keep the error, the tool must not. */
    @Test
    void decryptToStdout_thatCannotBeWritten_isAFailure() {
        Path f = fx.storeEncrypted("aes256", "to-nowhere", "some plaintext".getBytes());
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.OutputStream full = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        };

        int exit = Main.run(new String[] {"decrypt", f.toString(), "-o", "-"}, new java.io.PrintStream(full),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of("SERVLETSSE_CONFIG", fx.config.toString()), false);

        assertThat(exit).isEqualTo(Main.FINDINGS);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("NOT decrypted");
    }

    @Test
    void decrypt_refusesToOverwriteWithoutForce() throws Exception {
        Path f = fx.storeEncrypted("aes256", "x", "abc".getBytes());
        Path out = Files.writeString(tmp.resolve("exists"), "keep me");

        assertThat(fx.run("decrypt", f.toString(), "-o", out.toString()).exit()).isEqualTo(Main.USAGE);
        assertThat(Files.readString(out)).isEqualTo("keep me");
        assertThat(fx.run("decrypt", f.toString(), "-o", out.toString(), "--force").exit()).isZero();
        assertThat(Files.readString(out)).isEqualTo("abc");
    }

    @Test
    void encryptWithABucketsRule_makesAnObjectTheFilterReads() throws Exception {
        byte[] plain = CliFixture.bytes(150_000, 3);
        Path in = Files.write(tmp.resolve("in.bin"), plain);
        Path out = fx.objects.resolve("sm4").resolve("in.bin");
        Files.createDirectories(out.getParent());

        CliFixture.Result r = fx.run("encrypt", in.toString(), "-o", out.toString(), "--bucket", "sm4");

        assertThat(r.exit()).isZero();
        ObjectHeader h = CliFixture.header(out);
        assertThat(h.algorithm()).isEqualTo(ContentAlgorithm.SM4_GCM);
        assertThat(h.keyEnvelope().keyId()).isEqualTo("SM4@v1");
        fx.reopen();
        assertThat(fx.readAsFilter(out)).isEqualTo(plain);
    }

    @Test
    void encryptWithKmsAndANamedRule_usesTheDefaultCmk() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.txt"), "to kms");
        Path out = tmp.resolve("out.sef");

        CliFixture.Result r = fx.run("encrypt", in.toString(), "-o", out.toString(), "--sse", "KMS", "--kms-data", "SM4");

        assertThat(r.exit()).isZero();
        ObjectHeader h = CliFixture.header(out);
        assertThat(h.keyEnvelope().provider()).isEqualTo("kms");
        assertThat(h.algorithm()).isEqualTo(ContentAlgorithm.SM4_GCM);
        fx.reopen();
        assertThat(fx.readAsFilter(out)).isEqualTo("to kms".getBytes());
    }

    @Test
    void encrypt_withoutRuleOrWithANoneBucket_isAUsageError() throws Exception {
        Path in = Files.writeString(tmp.resolve("in.txt"), "x");

        assertThat(fx.run("encrypt", in.toString(), "-o", tmp.resolve("o").toString()).exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("encrypt", in.toString(), "-o", tmp.resolve("o").toString(), "--bucket", "plain").exit())
                .isEqualTo(Main.USAGE);
        assertThat(tmp.resolve("o")).doesNotExist();
    }
}
