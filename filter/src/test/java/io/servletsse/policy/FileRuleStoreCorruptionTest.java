package io.servletsse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.error.SseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule store that is corrupt at start stops the filter with an error naming the file; one that
 * becomes corrupt or unreadable while running fails each request that needs it with an OSS 500
 * InternalError (regression: it used to escape as a ConfigException or UncheckedIOException, which
 * the container answered with a bare 500 and no OSS error body). Never a silent "no rule".
 */
class FileRuleStoreCorruptionTest {
    @TempDir
    Path dir;

    @Test
    void corruptAtStart_isAConfigExceptionNamingTheFile() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> new FileRuleStore(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void corruptWhileRunning_isInternalError_forReadsAndWrites_andRecoversWhenRepaired() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore store = new FileRuleStore(file);
        EncryptionRule aes = new EncryptionRule(SseAlgorithm.AES256, null, null);
        store.put("b", aes);
        byte[] good = Files.readAllBytes(file);
        for (String garbage : new String[] {"{not json", "", "[]", "{\"version\":2,\"buckets\":{}}", "\u0000\u0001"}) {
            Files.writeString(file, garbage);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(garbage.length() + 10)));
            assertThatThrownBy(() -> store.get("b"))
                    .isInstanceOfSatisfying(SseException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(500);
                        assertThat(e.ossCode()).isEqualTo("InternalError");
                        assertThat(e.getMessage()).doesNotContain(dir.toString()); // the client learns no paths
                    });
            assertThatThrownBy(() -> store.put("c", aes)).isInstanceOf(SseException.class);
            assertThat(Files.readString(file)).isEqualTo(garbage); // a write never papers over the corruption
        }
        Files.write(file, good);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(100)));
        assertThat(store.get("b")).isPresent();
        assertThat(store.get("b").get().rule()).contains(aes);
    }

    /** With a rule put before, or (the cheap check of an absent file) never written at all. */
    @ParameterizedTest(name = "a rule put before: {0}")
    @ValueSource(booleans = {true, false})
    void unreadableWhileRunning_isInternalError(boolean written) throws Exception {
        Path sub = dir.resolve("sse");
        Files.createDirectories(sub);
        FileRuleStore store = new FileRuleStore(sub.resolve("bucket-rules.json"));
        if (written) {
            store.put("b", new EncryptionRule(SseAlgorithm.SM4, null, null));
            Files.delete(sub.resolve("bucket-rules.json"));
        } else {
            assertNoRuleTwice(store, "b");
        }
        Files.delete(sub);
        Files.writeString(sub, "a file where the directory was");
        assertInternalError(store);
    }

    // ---- a store that was never written: the cheap "still absent" answer never hides a change ----

    @Test
    void neverWritten_seesARulePutByAnotherNode_evenWithTheDirectoryTimeUnchanged() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore here = new FileRuleStore(file);
        assertNoRuleTwice(here, "b");
        FileTime dirTime = Files.getLastModifiedTime(dir);
        EncryptionRule kms = new EncryptionRule(SseAlgorithm.KMS, null, null);
        new FileRuleStore(file).put("b", kms);
        Files.setLastModifiedTime(dir, dirTime); // a coarse clock: the directory looks unchanged
        assertThat(here.get("b")).isPresent();
        assertThat(here.get("b").get().rule()).contains(kms);
    }

    @Test
    void neverWritten_thenACorruptFileAppears_isInternalError() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore store = new FileRuleStore(file);
        assertNoRuleTwice(store, "b");
        Files.writeString(file, "{not json");
        assertInternalError(store);
    }

    @Test
    void ruleFileDeleted_meansNoRules_andARuleWrittenAgainIsSeen() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore store = new FileRuleStore(file);
        EncryptionRule aes = new EncryptionRule(SseAlgorithm.AES256, null, null);
        store.put("b", aes);
        Files.delete(file); // an operator removing every rule
        assertNoRuleTwice(store, "b");
        new FileRuleStore(file).put("c", aes);
        assertThat(store.get("c")).isPresent();
        assertThat(store.get("b")).isEmpty();
    }

    /** The second answer of an absent file comes from the cheap check. */
    private static void assertNoRuleTwice(FileRuleStore store, String bucket) {
        assertThat(store.get(bucket)).isEmpty();
        assertThat(store.get(bucket)).isEmpty();
    }

    private static void assertInternalError(FileRuleStore store) {
        assertThatThrownBy(() -> store.get("b"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InternalError"));
    }
}
