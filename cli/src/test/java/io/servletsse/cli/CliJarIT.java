package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, as an operator runs it: {@code java -jar servlet-sse-cli.jar ...} in a child
 * process, on a deployment with an SM4 bucket (so BouncyCastle must work from the shaded jar).
 */
class CliJarIT {
    @TempDir
    Path tmp;
    private Path config;
    private Path bucket;

    @BeforeEach
    void deployment() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path rootKey = Files.writeString(tmp.resolve("root.key"), Base64.getEncoder().encodeToString(key));
        Path state = Files.createDirectories(tmp.resolve("sse"));
        bucket = Files.createDirectories(tmp.resolve("objects/records"));
        config = Files.writeString(tmp.resolve("sse.json"), """
                { "dataDirectory": "%s",
                  "buckets": { "records": { "SSEAlgorithm": "SM4" } },
                  "keys": { "rootKeyFile": "%s" } }
                """.formatted(state, rootKey));
    }

    @Test
    void help_exitsZero_andListsTheCommands() throws Exception {
        Run r = cli("--help");

        assertThat(r.exit).isZero();
        assertThat(r.out).contains("inspect", "verify", "decrypt", "encrypt", "rewrap", "encrypt-existing", "keys rotate");
    }

    @Test
    void encryptExistingVerifyDecrypt_throughTheJar_withSm4() throws Exception {
        Files.writeString(bucket.resolve("a.txt"), "legacy record\n");
        Files.write(bucket.resolve("b.bin"), new byte[200_000]);

        Run enc = cli("--config", config.toString(), "encrypt-existing", bucket.toString(), "--bucket", "records");
        Run inspect = cli("inspect", bucket.resolve("a.txt").toString());
        Run verify = cli("--config", config.toString(), "verify", bucket.toString());
        Run dec = cli("--config", config.toString(), "decrypt", bucket.resolve("a.txt").toString(), "-o", "-");

        assertThat(enc.exit).as(enc.out).isZero();
        assertThat(inspect.out).contains("encrypted, SM4-GCM (SSE SM4), key sse-oss SM4@v1");
        assertThat(verify.exit).isZero();
        assertThat(verify.out).contains("2 ok");
        assertThat(dec.out).isEqualTo("legacy record\n");
    }

    @Test
    void verify_exitsOne_onAFlippedByte() throws Exception {
        Files.write(bucket.resolve("b.bin"), new byte[200_000]);
        assertThat(cli("--config", config.toString(), "encrypt-existing", bucket.toString(), "--bucket", "records").exit)
                .isZero();
        try (RandomAccessFile raf = new RandomAccessFile(bucket.resolve("b.bin").toFile(), "rw")) {
            raf.seek(5000);
            int b = raf.read();
            raf.seek(5000);
            raf.write(b ^ 0x80);
        }

        Run verify = cli("--config", config.toString(), "--json", "verify", bucket.toString());

        assertThat(verify.exit).isEqualTo(1);
        assertThat(verify.out).contains("\"status\":\"bad\"", "\"reason\":\"SEGMENT_AUTHENTICATION_FAILED\"");
    }

    private record Run(int exit, String out) {}

    private Run cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("cli.jar")));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("err.txt").toFile())
                .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue(); // a bound against a hang
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
