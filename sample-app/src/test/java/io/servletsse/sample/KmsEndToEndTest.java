package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.servletsse.kms.ImportParameters;
import io.servletsse.kms.KeyAdmin;
import io.servletsse.kms.KeyManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SSE-KMS end to end through the sample app's file service with the filter in front, once with the
 * built-in KMS and once with CMKs held in a real SoftHSM2 token (PKCS#11): named CMKs, SM4 data
 * encryption, rotation, disable/enable, crypto-shredding, imported key material, KMS call counts.
 */
class KmsEndToEndTest {
    @TempDir
    Path tmp;

    FilteredFileService service;
    int port;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    final HttpClient http = HttpClient.newHttpClient();

    /** A clock the test moves: key deletion waiting periods pass without sleeping. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    void start(String backend, boolean cache) throws Exception {
        String kms = backend.equals("pkcs11")
                ? "{\"backend\":\"pkcs11\",\"pkcs11\":{\"library\":\"" + SoftHsmToken.library() + "\",\"slot\":"
                        + SoftHsmToken.slot() + ",\"pin\":\"" + SoftHsmToken.PIN + "\"}"
                : "{\"backend\":\"local\"";
        kms += cache ? "}" : ",\"cache\":{\"enabled\":false}}";
        String json = "{\"buckets\":{\"kms\":{\"SSEAlgorithm\":\"KMS\"}},\"keys\":{\"kms\":" + kms + "}}";
        service = FilteredFileService.start(json, tmp.resolve("data"), clock);
        port = service.port();
        send("PUT", "/kms", null);
        send("PUT", "/docs", null);
    }

    void startWith(String backend) throws Exception {
        if (backend.equals("pkcs11")) {
            String missing = SoftHsmToken.missing();
            if (System.getenv("CI") != null) {
                assertThat(missing).as("SoftHSM2 is required in CI").isNull();
            }
            assumeThat(missing).as("SoftHSM2 not installed (apt-get install softhsm2)").isNull();
            SoftHsmToken.ensure();
        }
        start(backend, true);
    }

    KeyAdmin admin() {
        return service.runtime().keys().services().keyAdmin();
    }

    KeyManager kms() {
        return service.runtime().keys().services().keyManager();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> putWithCmk(String key, byte[] body, String cmk, String... more) throws Exception {
        String[] h = new String[4 + more.length];
        h[0] = "x-oss-server-side-encryption";
        h[1] = "KMS";
        h[2] = "x-oss-server-side-encryption-key-id";
        h[3] = cmk;
        System.arraycopy(more, 0, h, 4, more.length);
        return send("PUT", "/docs/" + key, body, h);
    }

    static String code(HttpResponse<byte[]> r) {
        String s = new String(r.body());
        int a = s.indexOf("<Code>");
        return a < 0 ? null : s.substring(a + 6, s.indexOf("</Code>"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void namedCmk_withAndWithoutSm4_roundTrips(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createKey("reports").keyId();
        byte[] plain = Reference.random(300_000, 31);
        HttpResponse<byte[]> put = putWithCmk("a", plain, cmk);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("x-oss-server-side-encryption-key-id")).hasValue(cmk);
        HttpResponse<byte[]> sm4 = putWithCmk("b", plain, cmk, "x-oss-server-side-data-encryption", "SM4");
        assertThat(sm4.headers().firstValue("x-oss-server-side-data-encryption")).hasValue("SM4");

        for (String k : new String[] {"a", "b"}) {
            byte[] disk = Files.readAllBytes(tmp.resolve("data/objects/docs/" + k));
            assertThat(EncryptionEndToEndTest.indexOf(disk, java.util.Arrays.copyOf(plain, 32))).isNegative();
            HttpResponse<byte[]> get = send("GET", "/docs/" + k, null);
            assertThat(get.body()).isEqualTo(plain);
            assertThat(get.headers().firstValue("x-oss-server-side-encryption")).hasValue("KMS");
            assertThat(get.headers().firstValue("x-oss-server-side-encryption-key-id")).hasValue(cmk);
        }
        // The default CMK of a KMS bucket is another key.
        HttpResponse<byte[]> dflt = send("PUT", "/kms/c", plain);
        assertThat(dflt.headers().firstValue("x-oss-server-side-encryption-key-id")).isPresent().get().isNotEqualTo(cmk);
        assertThat(send("GET", "/kms/c", null).body()).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void rotation_keepsOldObjectsReadable(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createKey("rotating").keyId();
        byte[] before = Reference.random(70_000, 32);
        putWithCmk("before", before, cmk);
        assertThat(admin().rotateKeyMaterial(cmk).primaryVersion()).isEqualTo(2);
        byte[] after = Reference.random(70_000, 33);
        putWithCmk("after", after, cmk);
        assertThat(send("GET", "/docs/before", null).body()).isEqualTo(before);
        assertThat(send("GET", "/docs/after", null).body()).isEqualTo(after);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void disabledKey_refusesDownloadsAndUploads_untilEnabledAgain(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createKey("switchable").keyId();
        byte[] plain = Reference.random(10_000, 34);
        putWithCmk("o", plain, cmk);
        assertThat(send("GET", "/docs/o", null).body()).isEqualTo(plain); // its unwrapped key is now cached

        admin().disableKey(cmk);
        HttpResponse<byte[]> get = send("GET", "/docs/o", null);
        assertThat(get.statusCode()).isEqualTo(409);
        assertThat(code(get)).isEqualTo("Rejected.Disabled");
        assertThat(EncryptionEndToEndTest.indexOf(get.body(), java.util.Arrays.copyOf(plain, 16))).isNegative();
        HttpResponse<byte[]> put = putWithCmk("new", plain, cmk);
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(Files.exists(tmp.resolve("data/objects/docs/new"))).isFalse();

        admin().enableKey(cmk);
        assertThat(send("GET", "/docs/o", null).body()).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void deletedKey_shredsItsObjects(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createKey("doomed").keyId();
        byte[] plain = Reference.random(5_000, 35);
        putWithCmk("gone", plain, cmk);
        admin().scheduleKeyDeletion(cmk, 7);
        HttpResponse<byte[]> pending = send("GET", "/docs/gone", null);
        assertThat(pending.statusCode()).isEqualTo(409);
        assertThat(code(pending)).isEqualTo("Rejected.PendingDeletion");

        clock.advance(Duration.ofDays(8));
        HttpResponse<byte[]> gone = send("GET", "/docs/gone", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("KeyNotFound");
        assertThat(EncryptionEndToEndTest.indexOf(gone.body(), java.util.Arrays.copyOf(plain, 16))).isNegative();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void importedKeyMaterial_encryptsAndDecrypts(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createExternalKey("byok").keyId();
        assertThat(putWithCmk("early", "x".getBytes(), cmk).statusCode()).as("no material yet").isEqualTo(409);

        ImportParameters p = admin().getParametersForImport(cmk);
        byte[] material = Reference.random(32, 36);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, p.publicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        admin().importKeyMaterial(cmk, p.importToken(), rsa.doFinal(material));

        byte[] plain = Reference.random(100_000, 37);
        assertThat(putWithCmk("byok", plain, cmk).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/docs/byok", null).body()).isEqualTo(plain);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "pkcs11"})
    void manyUploadsToOneBucket_makeOneKmsCall(String backend) throws Exception {
        startWith(backend);
        long before = kms().stats().backendGenerateCalls();
        for (int i = 0; i < 100; i++) {
            assertThat(send("PUT", "/kms/o" + i, ("object " + i).getBytes()).statusCode()).isEqualTo(200);
        }
        assertThat(kms().stats().backendGenerateCalls() - before).isLessThanOrEqualTo(1);
        for (int i = 0; i < 100; i += 10) {
            assertThat(new String(send("GET", "/kms/o" + i, null).body())).isEqualTo("object " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local"})
    void cachingOff_makesOneKmsCallPerUpload(String backend) throws Exception {
        start(backend, false);
        long before = kms().stats().backendGenerateCalls();
        for (int i = 0; i < 20; i++) {
            send("PUT", "/kms/o" + i, ("object " + i).getBytes());
        }
        assertThat(kms().stats().backendGenerateCalls() - before).isEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pkcs11"})
    void hsmGone_uploadsFailWith503AndStoreNothing(String backend) throws Exception {
        startWith(backend);
        String cmk = admin().createKey("fragile").keyId();
        assertThat(putWithCmk("ok", "fine".getBytes(), cmk).statusCode()).isEqualTo(200);
        SoftHsmToken.pull(); // the token's files disappear, as if the HSM went away
        try {
            HttpResponse<byte[]> r = send("PUT", "/kms/fresh", "secret".getBytes()); // a new bucket key: needs the HSM
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(Files.exists(tmp.resolve("data/objects/kms/fresh"))).isFalse();
        } finally {
            SoftHsmToken.restore();
        }
    }

    /** One SoftHSM2 token for this JVM, in the directory named by SOFTHSM2_CONF (set by surefire). */
    static final class SoftHsmToken {
        static final String PIN = "1234";
        private static Long slot;
        private static Path saved;

        static String missing() {
            if (library() == null) {
                return "libsofthsm2.so not found";
            }
            if (System.getenv("SOFTHSM2_CONF") == null) {
                return "SOFTHSM2_CONF is not set (run through Maven)";
            }
            try {
                Process p = new ProcessBuilder("softhsm2-util", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "softhsm2-util failed";
            } catch (IOException e) {
                return "softhsm2-util not on PATH";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        static Path library() {
            for (String p : new String[] {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}) {
                if (Files.isRegularFile(Path.of(p))) {
                    return Path.of(p);
                }
            }
            return null;
        }

        static synchronized long slot() {
            return slot;
        }

        /** Creates the configuration and one token, once per JVM (SoftHSM2 lists slots once, at load). */
        static synchronized void ensure() throws Exception {
            if (slot != null) {
                return;
            }
            Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
            Path tokens = Files.createDirectories(conf.getParent().resolve("tokens"));
            try (var old = Files.list(tokens)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    deleteTree(p);
                }
            }
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
            Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "sse-e2e", "--so-pin", "5678",
                    "--pin", PIN).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("reassigned to slot (\\d+)").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            slot = Long.parseLong(m.group(1));
        }

        /** Moves the token's files away. */
        static synchronized void pull() throws IOException {
            Path tokens = Path.of(System.getenv("SOFTHSM2_CONF")).getParent().resolve("tokens");
            saved = tokens.resolveSibling("pulled");
            deleteTree(saved);
            Files.move(tokens, saved);
            Files.createDirectories(tokens);
        }

        static synchronized void restore() throws IOException {
            Path tokens = Path.of(System.getenv("SOFTHSM2_CONF")).getParent().resolve("tokens");
            deleteTree(tokens);
            Files.move(saved, tokens);
        }

        private static void deleteTree(Path p) throws IOException {
            if (!Files.exists(p)) {
                return;
            }
            try (var s = Files.walk(p)) {
                for (Path q : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(q);
                }
            }
        }
    }
}
