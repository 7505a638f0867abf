package io.servletsse.cli;

import io.servletsse.engine.SseRuntime;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.EncryptionRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deployment on disk for the CLI tests: a root key file, the filter's configuration (buckets under
 * every rule, built-in KMS on), its state directory, and a tree of stored objects. Objects are made
 * with the filter's own runtime (planUpload + the format's encrypting stream), as an upload through
 * the filter makes them, so the tool is tested against what the filter really stores.
 */
final class CliFixture implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    final Path dir;
    final Path config;
    final Path state;
    final Path objects;
    private SseRuntime runtime;

    CliFixture(Path dir) throws IOException {
        this.dir = dir;
        this.state = Files.createDirectories(dir.resolve("sse"));
        this.objects = Files.createDirectories(dir.resolve("objects"));
        Path rootKey = dir.resolve("root.key");
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Files.writeString(rootKey, Base64.getEncoder().encodeToString(key) + "\n");
        rootKey.toFile().setReadable(false, false);
        rootKey.toFile().setReadable(true, true);
        this.config = dir.resolve("sse.json");
        Files.writeString(config, """
                {
                  "dataDirectory": "%s",
                  "buckets": {
                    "plain": { "SSEAlgorithm": "None" },
                    "aes256": { "SSEAlgorithm": "AES256" },
                    "sm4": { "SSEAlgorithm": "SM4" },
                    "kms": { "SSEAlgorithm": "KMS" },
                    "kms-sm4": { "SSEAlgorithm": "KMS", "KMSDataEncryption": "SM4" }
                  },
                  "keys": { "rootKeyFile": "%s", "kms": { "backend": "local" } }
                }
                """.formatted(json(state), json(rootKey)));
    }

    private static String json(Path p) {
        return p.toAbsolutePath().toString().replace("\\", "\\\\");
    }

    /** The filter's runtime on this deployment (the same keys the tool opens). */
    SseRuntime runtime() {
        if (runtime == null) {
            runtime = SseRuntime.open(ConfigLoader.load(config.toString(), null, null), Clock.systemUTC());
        }
        return runtime;
    }

    /** Closes the test's runtime so the next one sees key files made meanwhile by the tool. */
    void reopen() {
        close();
    }

    /** Stores {@code plaintext} at {@code objects/<bucket>/<key>} as the filter stores an upload under the bucket's rule. */
    Path storeEncrypted(String bucket, String key, byte[] plaintext) {
        return storeEncrypted(bucket, key, plaintext, runtime().rules().effective(bucket));
    }

    Path storeEncrypted(String bucket, String key, byte[] plaintext, EncryptionRule rule) {
        Path f = objects.resolve(bucket).resolve(key);
        SseRuntime.Upload up = runtime().planUpload(rule, bucket, plaintext.length);
        try (InputStream in = ObjectCrypto.encryptingStream(up.header(), up.dataKey(), new ByteArrayInputStream(plaintext))) {
            Files.createDirectories(f.getParent());
            Files.write(f, in.readAllBytes());
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            up.dataKey().destroy();
        }
    }

    /** Stores bytes as they are (a file stored before encryption was enabled). */
    Path storePlain(String bucket, String key, byte[] content) throws IOException {
        Path f = objects.resolve(bucket).resolve(key);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        return f;
    }

    /** The plaintext the filter would serve for a stored file, decrypted by the test's own runtime. */
    byte[] readAsFilter(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            InputStream raw = Channels.newInputStream(ch);
            byte[] head = new byte[4];
            int n = raw.readNBytes(head, 0, 4);
            if (!ObjectHeader.hasMagic(head, 0, n)) {
                return Files.readAllBytes(f);
            }
            ch.position(0);
            ObjectHeader h = ObjectHeader.read(raw);
            try (SseRuntime.Download d = runtime().openDownload(h);
                    InputStream in = d.decryptor().decryptingStream(raw, ch.size())) {
                return in.readAllBytes();
            }
        }
    }

    static ObjectHeader header(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return ObjectHeader.read(in);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** What a run of the tool printed and returned. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    /** Runs the tool in this JVM with this deployment's configuration (as $SERVLETSSE_CONFIG). */
    Result run(String... args) {
        return runWith(Map.of("SERVLETSSE_CONFIG", config.toString()), args);
    }

    static Result runWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A child JVM running the tool's real main with this deployment's configuration. */
    ProcessBuilder childJvm(Path log, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SERVLETSSE_CONFIG", config.toString());
        return pb;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }
}
