package io.servletsse.kms;

import io.servletsse.testing.MutableClock;
import static io.servletsse.kms.KeyTestSupport.salt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SecretAccess;
import io.servletsse.error.SseException;
import io.servletsse.format.KeyEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.security.spec.MGF1ParameterSpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in KMS, caching off (caching has its own test): CMK lifecycle, errors, BYOK. */
final class LocalKmsTest {
    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T00:00:00Z");
    private final byte[] rootBytes = new byte[32];
    private final List<CmkKeyManager> opened = new ArrayList<>();
    private CmkKeyManager kms;

    @BeforeEach
    void open() {
        new SecureRandom().nextBytes(rootBytes);
        kms = reopen();
    }

    @AfterEach
    void close() {
        opened.forEach(CmkKeyManager::close);
    }

    private CmkKeyManager reopen() {
        return reopen(DataKeyCacheOptions.OFF);
    }

    private CmkKeyManager reopen(DataKeyCacheOptions cache) {
        Path dir = data.resolve("kms");
        SecureRandom r = new SecureRandom();
        CmkKeyManager m = new CmkKeyManager(new LocalMaterialBackend(dir, RootKey.of(rootBytes), r, clock),
                new KeyRegistry(dir), cache, clock, r);
        opened.add(m);
        return m;
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
    void defaultKey_isCreatedOnFirstUse_andEnvelopeNamesItsRealId() {
        assertThat(kms.listKeys()).isEmpty();
        byte[] salt = salt();

        GeneratedDataKey g = kms.generateDataKey(null, salt);

        List<KeyMetadata> keys = kms.listKeys();
        assertThat(keys).hasSize(1);
        KeyMetadata dflt = keys.get(0);
        assertThat(dflt.aliases()).containsExactly(KeyManager.DEFAULT_ALIAS);
        assertThat(dflt.state()).isEqualTo(KeyState.ENABLED);
        assertThat(g.envelope().provider()).isEqualTo("kms");
        assertThat(g.envelope().keyId()).isEqualTo(dflt.keyId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(g.envelope().wrapAlgorithm()).isEqualTo(LocalMaterialBackend.WRAP);
        assertThat(kms.generateDataKey(KeyManager.DEFAULT_ALIAS, salt()).envelope().keyId()).isEqualTo(dflt.keyId());
        assertThat(kms.listAliases()).containsExactly(new AliasInfo(KeyManager.DEFAULT_ALIAS, dflt.keyId()));
        assertRoundTrip(kms, g, salt);
    }

    @Test
    void namedKeyAndAlias_roundTrip_andSurviveReopen() {
        KeyMetadata k = kms.createKey("photos");
        kms.createAlias("alias/photos", k.keyId());
        byte[] s1 = salt();
        byte[] s2 = salt();
        GeneratedDataKey byId = kms.generateDataKey(k.keyId(), s1);
        GeneratedDataKey byAlias = kms.generateDataKey("alias/photos", s2);

        assertThat(byAlias.envelope().keyId()).isEqualTo(k.keyId());
        CmkKeyManager again = reopen();
        assertRoundTrip(again, byId, s1);
        assertRoundTrip(again, byAlias, s2);
        assertThat(again.describeKey("alias/photos").description()).isEqualTo("photos");
    }

    @Test
    void badKeyIds_answerAsOss() {
        assertOssError(() -> kms.generateDataKey("not a key", salt()), 400, "InvalidParameter");
        assertOssError(() -> kms.generateDataKey("1234ABCD-12AB-34CD-56EF-123456789012", salt()), 400, "InvalidParameter");
        assertOssError(() -> kms.generateDataKey("", salt()), 400, "InvalidParameter");
        assertOssError(() -> kms.generateDataKey("1234abcd-12ab-34cd-56ef-123456789012", salt()), 404, "KeyNotFound");
        assertOssError(() -> kms.generateDataKey("alias/nope", salt()), 404, "AliasNotFound");
        assertOssError(() -> kms.describeKey("alias/acs/oss"), 404, "AliasNotFound"); // describe never creates
    }

    @Test
    void disabledKey_isRefused_untilEnabledAgain() {
        KeyMetadata k = kms.createKey("x");
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(k.keyId(), salt);

        kms.disableKey(k.keyId());

        assertOssError(() -> kms.generateDataKey(k.keyId(), salt()), 409, "Rejected.Disabled");
        assertOssError(() -> kms.decryptDataKey(g.envelope(), salt), 409, "Rejected.Disabled");
        assertThat(kms.describeKey(k.keyId()).state()).isEqualTo(KeyState.DISABLED);
        kms.enableKey(k.keyId());
        assertRoundTrip(kms, g, salt);
    }

    @Test
    void disableOnOneInstance_isSeenByAnotherSharingTheDirectory() {
        KeyMetadata k = kms.createKey("shared");
        CmkKeyManager other = reopen();
        byte[] salt = salt();
        GeneratedDataKey g = other.generateDataKey(k.keyId(), salt);

        kms.disableKey(k.keyId());

        assertOssError(() -> other.decryptDataKey(g.envelope(), salt), 409, "Rejected.Disabled");
    }

    @Test
    void scheduledDeletion_refusesAtOnce_cancelRestores_andPassingTheDateShredsObjects() {
        KeyMetadata k = kms.createKey("doomed");
        kms.createAlias("alias/doomed", k.keyId());
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(k.keyId(), salt);

        assertOssError(() -> kms.scheduleKeyDeletion(k.keyId(), 6), 400, "InvalidParameter");
        assertOssError(() -> kms.scheduleKeyDeletion(k.keyId(), 31), 400, "InvalidParameter");
        java.time.Instant when = kms.scheduleKeyDeletion(k.keyId(), 7);
        assertThat(when).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertOssError(() -> kms.decryptDataKey(g.envelope(), salt), 409, "Rejected.PendingDeletion");
        assertOssError(() -> kms.enableKey(k.keyId()), 409, "Rejected.StateModifiedFailed");
        kms.cancelKeyDeletion(k.keyId());
        assertRoundTrip(kms, g, salt);

        kms.scheduleKeyDeletion(k.keyId(), 7);
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(kms.describeKey(k.keyId()).state()).isEqualTo(KeyState.PENDING_DELETION);
        clock.advance(Duration.ofSeconds(1));

        assertOssError(() -> kms.decryptDataKey(g.envelope(), salt), 404, "KeyNotFound");
        assertOssError(() -> kms.describeKey("alias/doomed"), 404, "AliasNotFound");
        assertThat(kms.listKeys()).isEmpty();
        assertThat(data.resolve("kms/material/" + k.keyId())).doesNotExist();
        // Another instance that had the material loaded cannot decrypt either.
        assertOssError(() -> reopen().decryptDataKey(g.envelope(), salt), 404, "KeyNotFound");
    }

    @Test
    void rotation_newKeysUseNewMaterial_oldEnvelopesStillDecrypt() {
        KeyMetadata k = kms.createKey("rotating");
        byte[] s1 = salt();
        GeneratedDataKey before = kms.generateDataKey(k.keyId(), s1);

        assertThat(kms.rotateKeyMaterial(k.keyId()).primaryVersion()).isEqualTo(2);
        byte[] s2 = salt();
        GeneratedDataKey after = kms.generateDataKey(k.keyId(), s2);

        assertThat(after.envelope().keyId()).isEqualTo(k.keyId());
        assertThat(version(after.envelope())).isEqualTo(2);
        assertThat(version(before.envelope())).isEqualTo(1);
        assertRoundTrip(kms, before, s1);
        assertRoundTrip(kms, after, s2);
    }

    @Test
    void automaticRotation_followsTheClock() {
        KeyMetadata k = kms.createKey("auto");
        assertOssError(() -> kms.setRotationInterval(k.keyId(), Duration.ofDays(6)), 400, "InvalidParameter");
        kms.setRotationInterval(k.keyId(), Duration.ofDays(30));

        clock.advance(Duration.ofDays(29));
        assertThat(version(kms.generateDataKey(k.keyId(), salt()).envelope())).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(version(kms.generateDataKey(k.keyId(), salt()).envelope())).isEqualTo(2);
        assertThat(kms.describeKey(k.keyId()).rotationInterval()).isEqualTo(Duration.ofDays(30));
    }

    private static int version(KeyEnvelope e) {
        return java.nio.ByteBuffer.wrap(e.wrapped()).getInt(1);
    }

    @Test
    void wrongSaltOrTampering_failsWithInternalError() {
        byte[] salt = salt();
        KeyEnvelope e = kms.generateDataKey(null, salt).envelope();
        byte[] w = e.wrapped();

        assertOssError(() -> kms.decryptDataKey(e, salt()), 500, "InternalError");
        for (int i = 0; i < w.length; i++) {
            byte[] t = w.clone();
            t[i] ^= 0x40;
            KeyEnvelope bad = new KeyEnvelope("kms", e.keyId(), e.wrapAlgorithm(), t);
            assertThatThrownBy(() -> kms.decryptDataKey(bad, salt)).as("byte " + i).isInstanceOf(SseException.class);
        }
        assertOssError(() -> kms.decryptDataKey(new KeyEnvelope("kms", e.keyId(), "kms/other/v9", w), salt), 500,
                "InternalError");
        assertOssError(() -> kms.decryptDataKey(new KeyEnvelope("pkcs11", e.keyId(), e.wrapAlgorithm(), w), salt), 500,
                "InternalError");
        // An id that is not of the KMS form is a corrupt object; a well-formed one that is gone, KeyNotFound.
        assertOssError(() -> kms.decryptDataKey(new KeyEnvelope("kms", "alias/acs/oss", e.wrapAlgorithm(), w), salt), 500,
                "InternalError");
        CmkKeyManager caching = reopen(DataKeyCacheOptions.DEFAULTS); // reuse checks only where it may grant
        assertOssError(() -> caching.reuse(new KeyEnvelope("kms", "../keys", e.wrapAlgorithm(), w)), 500, "InternalError");
        assertOssError(() -> kms.decryptDataKey(new KeyEnvelope("kms", KeyIds.newKeyId(), e.wrapAlgorithm(), w), salt), 404,
                "KeyNotFound");
    }

    @Test
    void reuse_checksWhatAnUnwrapWould_andGivesANewStampAfterAnyChangeToTheCmk() {
        assertThat(kms.reuse(kms.generateDataKey(null, salt()).envelope())).as("caching off: no reuse").isNull();
        CmkKeyManager kms = reopen(DataKeyCacheOptions.DEFAULTS);
        KeyMetadata k = kms.createKey("reused");
        byte[] salt = salt();
        KeyEnvelope e = kms.generateDataKey(k.keyId(), salt).envelope();
        ReuseGrant first = kms.reuse(e);
        assertThat(kms.reuse(e).sameAs(first)).isTrue();
        assertThat(first.maxAge()).isEqualTo(DataKeyCacheOptions.DEFAULTS.decryptTtl());
        long backendCalls = kms.stats().backendDecryptCalls();

        kms.createKey("another"); // another CMK's change leaves this one's stamp
        assertThat(kms.reuse(e).sameAs(first)).isTrue();
        kms.disableKey(k.keyId());
        assertOssError(() -> kms.reuse(e), 409, "Rejected.Disabled");
        kms.enableKey(k.keyId());
        assertThat(kms.reuse(e).sameAs(first)).isFalse();
        ReuseGrant enabled = kms.reuse(e);
        reopen().disableKey(k.keyId()); // another node
        assertOssError(() -> kms.reuse(e), 409, "Rejected.Disabled");
        reopen().enableKey(k.keyId());
        assertThat(kms.reuse(e).sameAs(enabled)).isFalse();
        assertThat(kms.stats().backendDecryptCalls()).isEqualTo(backendCalls); // a check, never a backend call

        byte[] w = e.wrapped().clone();
        w[4] = 9; // a material version the CMK does not hold
        assertOssError(() -> kms.reuse(new KeyEnvelope("kms", e.keyId(), e.wrapAlgorithm(), w)), 500, "InternalError");
    }

    @Test
    void aliasRules_followKms() {
        KeyMetadata k = kms.createKey("a");
        assertOssError(() -> kms.createAlias("photos", k.keyId()), 400, "InvalidParameter");
        assertOssError(() -> kms.createAlias("alias/acs/mine", k.keyId()), 400, "InvalidParameter");
        kms.createAlias("alias/a", k.keyId());
        assertOssError(() -> kms.createAlias("alias/a", k.keyId()), 409, "Rejected.AlreadyExists");
        KeyMetadata k2 = kms.createKey("b");
        kms.updateAlias("alias/a", k2.keyId());
        assertThat(kms.describeKey("alias/a").keyId()).isEqualTo(k2.keyId());
        kms.deleteAlias("alias/a");
        assertOssError(() -> kms.deleteAlias("alias/a"), 404, "AliasNotFound");
    }

    @Test
    void keyMaterialFiles_areSealedAndOwnerOnly() throws Exception {
        KeyMetadata k = kms.createKey("files");
        GeneratedDataKey g = kms.generateDataKey(k.keyId(), salt());
        byte[] material = SealedKeyFile.read(data.resolve("kms/material/" + k.keyId() + "/v1.key"), RootKey.of(rootBytes),
                "kms-cmk", k.keyId(), 1);

        for (Path f : KeyTestSupport.regularFiles(data)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            assertThat(KeyTestSupport.fileContains(f, material)).as(f.toString()).isFalse();
            assertThat(KeyTestSupport.fileContains(f, g.dataKey().reveal(SecretAccess.grant()))).isFalse();
        }
        assertThat(Files.readString(data.resolve("kms/keys.json"))).contains(k.keyId()).contains("\"ENABLED\"");
    }

    @Test
    void byok_importedMaterialWrappedWithThePublicKey_enablesTheKey() throws Exception {
        KeyMetadata k = kms.createExternalKey("byok");
        assertThat(k.state()).isEqualTo(KeyState.PENDING_IMPORT);
        assertThat(k.origin()).isEqualTo(KeyOrigin.EXTERNAL);
        assertOssError(() -> kms.generateDataKey(k.keyId(), salt()), 409, "Rejected.PendingImport");

        ImportParameters p = kms.getParametersForImport(k.keyId());
        assertThat(p.publicKey().getModulus().bitLength()).isEqualTo(2048);
        assertThat(p.tokenExpiry()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(p.toString()).doesNotContain(p.importToken());
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, p.publicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] wrapped = rsa.doFinal(material);

        assertOssError(() -> kms.importKeyMaterial(k.keyId(), "bogus", wrapped), 400, "InvalidImportToken");
        kms.importKeyMaterial(k.keyId(), p.importToken(), wrapped);

        KeyMetadata after = kms.describeKey(k.keyId());
        assertThat(after.state()).isEqualTo(KeyState.ENABLED);
        assertThat(after.origin()).isEqualTo(KeyOrigin.EXTERNAL);
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(k.keyId(), salt);
        assertRoundTrip(reopen(), g, salt);
        // The stored material is the imported one.
        byte[] stored = SealedKeyFile.read(data.resolve("kms/material/" + k.keyId() + "/v1.key"), RootKey.of(rootBytes),
                "kms-cmk", k.keyId(), 1);
        assertThat(stored).isEqualTo(material);
        assertOssError(() -> kms.importKeyMaterial(k.keyId(), p.importToken(), wrapped), 409, "Rejected.StateModifiedFailed");
        assertOssError(() -> kms.rotateKeyMaterial(k.keyId()), 400, "UnsupportedOperation");
    }

    /**
     * An import whose metadata write failed leaves material on disk and the key PendingImport. The
     * retry, with other material, must enable the key with the material imported now, not the leftover.
     */
    @Test
    void byok_retryAfterAnImportThatLeftMaterialBehind_usesTheMaterialImportedNow() throws Exception {
        KeyMetadata k = kms.createExternalKey("byok");
        byte[] leftover = new byte[32];
        Arrays.fill(leftover, (byte) 0x5A);
        Path file = data.resolve("kms/material/" + k.keyId() + "/v1.key");
        Files.createDirectories(file.getParent());
        assertThat(SealedKeyFile.create(file, RootKey.of(rootBytes), "kms-cmk", k.keyId(), 1, clock.instant(), leftover,
                new SecureRandom())).isTrue();

        ImportParameters p = kms.getParametersForImport(k.keyId());
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, p.publicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        kms.importKeyMaterial(k.keyId(), p.importToken(), rsa.doFinal(material));

        assertThat(kms.describeKey(k.keyId()).state()).isEqualTo(KeyState.ENABLED);
        assertThat(SealedKeyFile.read(file, RootKey.of(rootBytes), "kms-cmk", k.keyId(), 1)).isEqualTo(material);
        byte[] salt = salt();
        assertRoundTrip(reopen(), kms.generateDataKey(k.keyId(), salt), salt);
    }

    @Test
    void byok_expiredTokenOrWrongWrapping_isRefused() throws Exception {
        KeyMetadata k = kms.createExternalKey("byok");
        ImportParameters p = kms.getParametersForImport(k.keyId());
        Cipher sha1 = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        sha1.init(Cipher.ENCRYPT_MODE, p.publicKey());
        byte[] wrongWrap = sha1.doFinal(new byte[32]);

        assertOssError(() -> kms.importKeyMaterial(k.keyId(), p.importToken(), wrongWrap), 400, "InvalidParameter");
        clock.advance(Duration.ofHours(24));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, p.publicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] good = rsa.doFinal(new byte[32]);
        assertOssError(() -> kms.importKeyMaterial(k.keyId(), p.importToken(), good), 400, "InvalidImportToken");
        assertThat(kms.describeKey(k.keyId()).state()).isEqualTo(KeyState.PENDING_IMPORT);
    }

    @Test
    void concurrentAdminsOnTwoInstances_loseNoUpdate_andShareOneDefaultKey() throws Exception {
        CmkKeyManager other = reopen();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<String>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                CmkKeyManager m = i % 2 == 0 ? kms : other;
                int n = i;
                fs.add(pool.submit(() -> {
                    go.await();
                    m.createKey("k" + n);
                    return m.generateDataKey(null, salt()).envelope().keyId();
                }));
            }
            go.countDown();
            java.util.Set<String> defaults = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> f : fs) {
                defaults.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS)); // guards against a hang only
            }
            assertThat(defaults).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(reopen().listKeys()).hasSize(17);
    }

    @Test
    void kmsNotEnabled_answersKmsServiceNotEnabled() {
        KeyManager off = KeyManager.disabled();
        assertOssError(() -> off.generateDataKey(null, salt()), 403, "KmsServiceNotEnabled");
        assertOssError(() -> off.decryptDataKey(new KeyEnvelope("kms", "x", "y", new byte[1]), salt()), 403,
                "KmsServiceNotEnabled");
        assertOssError(off::listKeys, 403, "KmsServiceNotEnabled");
    }

    @Test
    void wrongRootKey_cannotUseStoredMaterial() {
        KeyMetadata k = kms.createKey("x");
        byte[] salt = salt();
        GeneratedDataKey g = kms.generateDataKey(k.keyId(), salt);
        Path dir = data.resolve("kms");
        SecureRandom r = new SecureRandom();
        CmkKeyManager wrong = new CmkKeyManager(new LocalMaterialBackend(dir, RootKey.of(new byte[32]), r, clock),
                new KeyRegistry(dir), DataKeyCacheOptions.OFF, clock, r);
        opened.add(wrong);

        assertOssError(() -> wrong.decryptDataKey(g.envelope(), salt), 500, "InternalError");
    }
}
