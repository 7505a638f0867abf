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

    @Test
    void unreadableWhileRunning_isInternalError() throws Exception {
        Path sub = dir.resolve("sse");
        Files.createDirectories(sub);
        FileRuleStore store = new FileRuleStore(sub.resolve("bucket-rules.json"));
        store.put("b", new EncryptionRule(SseAlgorithm.SM4, null, null));
        Files.delete(sub.resolve("bucket-rules.json"));
        Files.delete(sub);
        Files.writeString(sub, "a file where the directory was");
        assertThatThrownBy(() -> store.get("b"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InternalError"));
    }

    // ---- a store that was never written: the cheap "still absent" answer never hides a change ----

    @Test
    void neverWritten_seesARulePutByAnotherNode_evenWithTheDirectoryTimeUnchanged() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore here = new FileRuleStore(file);
        assertThat(here.get("b")).isEmpty();
        assertThat(here.get("b")).isEmpty(); // the second answer comes from the cheap check
        FileTime dirTime = Files.getLastModifiedTime(dir);
        EncryptionRule kms = new EncryptionRule(SseAlgorithm.KMS, null, null);
        new FileRuleStore(file).put("b", kms);
        Files.setLastModifiedTime(dir, dirTime); // a coarse clock: the directory looks unchanged
        assertThat(here.get("b")).isPresent();
        assertThat(here.get("b").get().rule()).contains(kms);
    }

    @Test
    void neverWritten_thenTheDirectoryReplacedByAFile_isInternalError() throws Exception {
        Path sub = dir.resolve("sse");
        Files.createDirectories(sub);
        FileRuleStore store = new FileRuleStore(sub.resolve("bucket-rules.json"));
        assertThat(store.get("b")).isEmpty();
        assertThat(store.get("b")).isEmpty();
        Files.delete(sub);
        Files.writeString(sub, "a file where the directory was");
        assertThatThrownBy(() -> store.get("b"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InternalError"));
    }

    @Test
    void neverWritten_thenACorruptFileAppears_isInternalError() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore store = new FileRuleStore(file);
        assertThat(store.get("b")).isEmpty();
        assertThat(store.get("b")).isEmpty();
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> store.get("b"))
                .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.ossCode()).isEqualTo("InternalError"));
    }

    @Test
    void ruleFileDeleted_meansNoRules_andARuleWrittenAgainIsSeen() throws Exception {
        Path file = dir.resolve("bucket-rules.json");
        FileRuleStore store = new FileRuleStore(file);
        EncryptionRule aes = new EncryptionRule(SseAlgorithm.AES256, null, null);
        store.put("b", aes);
        Files.delete(file); // an operator removing every rule
        assertThat(store.get("b")).isEmpty();
        assertThat(store.get("b")).isEmpty();
        new FileRuleStore(file).put("c", aes);
        assertThat(store.get("c")).isPresent();
        assertThat(store.get("b")).isEmpty();
    }
}
