package io.servletsse.kms;

import io.servletsse.testing.MutableClock;
import static io.servletsse.kms.KeyTestSupport.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SecretAccess;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key manager on a real SoftHSM2 token. Not run by surefire directly (the name does not end in
 * Test): {@link Pkcs11KeyManagerTest} runs it in a child JVM with {@code SOFTHSM2_CONF} set and two
 * tokens initialised: one shared by the scenarios (each makes its own CMKs and metadata directory), one
 * that a scenario removes.
 */
final class Pkcs11Scenarios {
    static final String SLOT = "servletsse.test.pkcs11.slot";
    static final String REMOVABLE_SLOT = "servletsse.test.pkcs11.removableSlot";
    static final String REMOVABLE_LABEL = "servletsse.test.pkcs11.removableLabel";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-05-01T00:00:00Z");
    private final List<CmkKeyManager> opened = new ArrayList<>();
    private SoftHsm hsm;

    @BeforeEach
    void token() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        Assumptions.assumeTrue(conf != null, "run through Pkcs11KeyManagerTest, which sets SOFTHSM2_CONF");
        Assumptions.assumeTrue(System.getProperty(SLOT) != null, "run through Pkcs11KeyManagerTest");
        hsm = new SoftHsm(SoftHsm.library(), Long.parseLong(System.getProperty(SLOT)), "sse-main", Path.of(conf));
    }

    @AfterEach
    void close() {
        opened.forEach(CmkKeyManager::close);
    }

    private Pkcs11MaterialBackend backend;

    private CmkKeyManager open(DataKeyCacheOptions cache) {
        return open(cache, hsm.options());
    }

    private CmkKeyManager open(DataKeyCacheOptions cache, Pkcs11Options options) {
        SecureRandom r = new SecureRandom();
        backend = new Pkcs11MaterialBackend(options, r);
        CmkKeyManager m = new CmkKeyManager(backend, new KeyRegistry(dir.resolve("pkcs11")), cache, clock, r);
        opened.add(m);
        return m;
    }

    private List<String> labelsOf(String cmk) {
        return backend.labels().stream().filter(l -> l.startsWith("servlet-sse/" + cmk + "/")).toList();
    }

    private static void assertOssError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SseException.class, e -> {
            assertThat(e.httpStatus()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.ossCode()).isEqualTo(code);
        });
    }

    private static void assertRoundTrip(KeyManager m, GeneratedDataKey g, byte[] salt) {
        try (DataKey k = m.decryptDataKey(g.envelope(), salt)) {
            assertThat(k.sameKeyAs(g.dataKey())).isTrue();
        }
    }

    @Test
    void dataKeys_roundTrip_andTheCmkStaysInsideTheToken() {
        CmkKeyManager kms = open(DataKeyCacheOptions.OFF);
        byte[] salt = salt();

        GeneratedDataKey g = kms.generateDataKey(null, salt);

        String cmk = g.envelope().keyId();
        assertThat(g.envelope().provider()).isEqualTo("pkcs11");
        assertThat(g.envelope().wrapAlgorithm()).isEqualTo("pkcs11/aes-256-gcm/v1");
        assertThat(kms.describeKey(KeyManager.DEFAULT_ALIAS).keyId()).isEqualTo(cmk);
        assertThat(labelsOf(cmk)).containsExactly("servlet-sse/" + cmk + "/v1");
        Key inToken = backend.keyObject(cmk, 1);
        assertThat(inToken.getEncoded()).as("CMK bytes must not leave the token").isNull();
        assertThat(inToken.toString()).contains("token object").contains("sensitive").contains("unextractable");
        assertRoundTrip(kms, g, salt);
    }

    @Test
    void anotherInstance_decrypts_butNotWithAnotherSaltOrTamperedBytes() {
        CmkKeyManager kms = open(DataKeyCacheOptions.OFF);
        String cmk = kms.createKey("docs").keyId();
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(cmk, salt);

        CmkKeyManager other = open(DataKeyCacheOptions.OFF);

        assertRoundTrip(other, g, salt);
        assertOssError(() -> other.decryptDataKey(g.envelope(), salt()), 500, "InternalError");
        byte[] w = g.envelope().wrapped();
        w[w.length - 1] ^= 1;
        assertOssError(() -> other.decryptDataKey(new KeyEnvelope("pkcs11", cmk, g.envelope().wrapAlgorithm(), w), salt),
                500, "InternalError");
    }

    @Test
    void rotation_keepsOldMaterial_andDeletionShredsItFromTheToken() {
        CmkKeyManager kms = open(DataKeyCacheOptions.OFF);
        String cmk = kms.createKey("rotating").keyId();
        byte[] s1 = salt();
        GeneratedDataKey v1 = kms.generateDataKey(cmk, s1);
        kms.rotateKeyMaterial(cmk);
        byte[] s2 = salt();
        GeneratedDataKey v2 = kms.generateDataKey(cmk, s2);

        assertThat(labelsOf(cmk)).containsExactly("servlet-sse/" + cmk + "/v1", "servlet-sse/" + cmk + "/v2");
        assertRoundTrip(kms, v1, s1);
        assertRoundTrip(kms, v2, s2);

        kms.scheduleKeyDeletion(cmk, 7);
        assertOssError(() -> kms.decryptDataKey(v1.envelope(), s1), 409, "Rejected.PendingDeletion");
        clock.advance(Duration.ofDays(7));
        assertOssError(() -> kms.decryptDataKey(v2.envelope(), s2), 404, "KeyNotFound");
        assertThat(labelsOf(cmk)).isEmpty();
    }

    @Test
    void byok_materialImportedIntoTheToken_isUsedAndStaysInside() throws Exception {
        CmkKeyManager kms = open(DataKeyCacheOptions.OFF);
        String cmk = kms.createExternalKey("byok").keyId();
        ImportParameters p = kms.getParametersForImport(cmk);
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, p.publicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));

        kms.importKeyMaterial(cmk, p.importToken(), rsa.doFinal(material));

        assertThat(kms.describeKey(cmk).state()).isEqualTo(KeyState.ENABLED);
        assertThat(backend.keyObject(cmk, 1).getEncoded()).isNull();
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(cmk, salt);
        assertRoundTrip(kms, g, salt);
        // The token wrapped with the imported material: the customer's copy opens the wrapped key in plain JCE.
        byte[] w = g.envelope().wrapped();
        ByteBuffer b = ByteBuffer.wrap(w);
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.getInt()).isEqualTo(1);
        byte[] iv = Arrays.copyOfRange(w, 5, 17);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(("pkcs11\0" + cmk + "\0pkcs11/aes-256-gcm/v1\0" + 1 + "\0").getBytes(StandardCharsets.UTF_8));
        gcm.updateAAD(salt);
        assertThat(gcm.doFinal(w, 17, w.length - 17)).isEqualTo(g.dataKey().reveal(SecretAccess.grant()));
    }

    @Test
    void caching_thousandUploads_makeOneHsmCall() {
        CmkKeyManager kms = open(DataKeyCacheOptions.DEFAULTS);
        String cmk = kms.createKey("hot").keyId();
        byte[] lastSalt = null;
        GeneratedDataKey last = null;

        for (int i = 0; i < 1000; i++) {
            lastSalt = salt();
            last = kms.generateDataKey(cmk, lastSalt, "bucket", 4096);
        }

        assertThat(kms.stats().backendGenerateCalls()).isEqualTo(1);
        CmkKeyManager reader = open(DataKeyCacheOptions.DEFAULTS);
        assertRoundTrip(reader, last, lastSalt);
        assertThat(reader.stats().backendDecryptCalls()).isEqualTo(1);
    }

    @Test
    void missingLibrary_answers503_whileMetadataStillAnswers() {
        CmkKeyManager kms = open(DataKeyCacheOptions.DEFAULTS,
                new Pkcs11Options(dir.resolve("no-such-libsofthsm2.so"), hsm.slot, SoftHsm.USER_PIN.toCharArray()));

        assertOssError(() -> kms.generateDataKey(null, salt()), 503, "ServiceUnavailable");
        assertOssError(() -> kms.createKey("x"), 503, "ServiceUnavailable");
        assertThat(kms.listKeys()).isEmpty();
    }

    @Test
    void tokenRemoved_hsmCallsAnswer503_cachedDecryptLastsUntilItsTtl_stateStillEnforced() throws Exception {
        SoftHsm removable = new SoftHsm(SoftHsm.library(), Long.parseLong(System.getProperty(REMOVABLE_SLOT)),
                System.getProperty(REMOVABLE_LABEL), hsm.config);
        CmkKeyManager kms = open(new DataKeyCacheOptions(true, Duration.ofMinutes(5), 1000, 1L << 30,
                Duration.ofMinutes(2), 100), removable.options());
        String cmk = kms.createKey("x").keyId();
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(cmk, salt, "bucket-a", 10);
        byte[] directSalt = salt();
        GeneratedDataKey direct = kms.generateDataKey(cmk, directSalt, "bucket-a", -1);

        removable.deleteToken();

        // Every call that needs the HSM is a 503 and nothing else.
        assertOssError(() -> kms.generateDataKey(cmk, salt(), "bucket-b", 10), 503, "ServiceUnavailable");
        assertOssError(() -> kms.generateDataKey(cmk, salt(), "bucket-a", -1), 503, "ServiceUnavailable");
        assertOssError(() -> kms.decryptDataKey(direct.envelope(), directSalt), 503, "ServiceUnavailable");
        // Documented policy: an unwrapped key already cached keeps serving reads until its TTL.
        assertRoundTrip(kms, g, salt);
        clock.advance(Duration.ofMinutes(2));
        assertOssError(() -> kms.decryptDataKey(g.envelope(), salt), 503, "ServiceUnavailable");
        // Key state is not in the HSM: admin still sees and changes it.
        kms.disableKey(cmk);
        assertOssError(() -> kms.decryptDataKey(g.envelope(), salt), 409, "Rejected.Disabled");
    }
}
