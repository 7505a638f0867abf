package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysAndUsageTest extends CliCommandTest {
    @Test
    void rotateMasterKey_newVersionIsListedAndUsedForNewObjects() throws Exception {
        fx.storeEncrypted("aes256", "old", CliFixture.bytes(10, 1));

        CliFixture.Result rot = fx.run("keys", "rotate", "AES256");
        CliFixture.Result list = fx.run("keys", "list");
        fx.reopen();
        Path fresh = fx.storeEncrypted("aes256", "new", CliFixture.bytes(10, 2));

        assertThat(rot.exit()).isZero();
        assertThat(rot.out()).contains("new objects now use AES256@v2 (was AES256@v1; it keeps decrypting)");
        assertThat(list.out()).contains("master key AES256@v1").contains("master key AES256@v2")
                .contains("(primary: new objects)");
        assertThat(CliFixture.header(fresh).keyEnvelope().keyId()).isEqualTo("AES256@v2");
        assertThat(fx.run("verify", fx.objects.toString()).exit()).isZero();
    }

    @Test
    void rotateCmk_byAlias_andListShowsStateVersionAndAliases_neverKeyMaterial() throws Exception {
        var admin = fx.runtime().keys().services().keyAdmin();
        String id = admin.createKey("reports").keyId();
        admin.createAlias("alias/reports", id);

        CliFixture.Result rot = fx.run("keys", "rotate", "alias/reports");
        CliFixture.Result list = fx.run("keys", "list");

        assertThat(rot.out()).contains("rotated CMK " + id + ": material v1 -> v2");
        assertThat(list.out()).contains("CMK " + id + "  Enabled  material v2  alias/reports");
        String rootKey = Files.readString(tmp.resolve("root.key")).trim();
        assertThat(list.out() + rot.out()).doesNotContain(rootKey);
        assertThat(Base64.getDecoder().decode(rootKey)).hasSize(32);
    }

    @Test
    void rotateUnknownCmk_isAFinding() {
        CliFixture.Result r = fx.run("keys", "rotate", "00000000-0000-4000-8000-000000000000");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains("KeyNotFound");
    }

    @Test
    void noConfiguration_isExitTwo_withAHint() {
        CliFixture.Result r = CliFixture.runWith(Map.of(), "verify", tmp.toString());

        assertThat(r.exit()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("no configuration: give --config PATH");
    }

    @Test
    void unknownOptionOrCommand_isExitTwo_andAMisspeltDryRunNeverRuns() throws Exception {
        Path f = fx.storePlain("aes256", "x", "legacy".getBytes());

        assertThat(fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256", "--dryrun").exit())
                .isEqualTo(Main.USAGE);
        assertThat(fx.run("frobnicate").exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("verify", "--to", "AES256", f.toString()).exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run().exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("--help").exit()).isZero();
        assertThat(Files.readString(f)).isEqualTo("legacy");
    }

    @Test
    void wrongDataDir_isRefused_andNoKeysAreGenerated() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("elsewhere"));
        Path cfg = Files.writeString(tmp.resolve("bare.json"), "{\"dataDirectory\": \"" + empty + "\"}");

        CliFixture.Result missing = fx.run("--data-dir", tmp.resolve("nope").toString(), "keys", "list");
        CliFixture.Result noRoot = CliFixture.runWith(Map.of("SERVLETSSE_CONFIG", cfg.toString()), "keys", "list");

        assertThat(missing.exit()).isEqualTo(Main.USAGE);
        assertThat(missing.err()).contains("does not exist");
        assertThat(noRoot.exit()).isEqualTo(Main.USAGE);
        assertThat(noRoot.err()).contains("the tool never generates keys");
        try (var s = Files.list(empty)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aSecondMutatingRun_isRefusedWhileOneHoldsTheLock_andChangesNothing() throws Exception {
        Path f = fx.storePlain("aes256", "x", "legacy".getBytes());
        Path lockFile = Files.createDirectories(fx.state.resolve(HeaderJournal.DIRECTORY)).resolve("run.lock");
        try (var ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); var held = ch.lock()) {
            CliFixture.Result r = fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256");

            assertThat(r.exit()).isEqualTo(Main.USAGE);
            assertThat(r.err()).contains("another servlet-sse-cli run is changing objects");
            assertThat(Files.readString(f)).isEqualTo("legacy");
        }
        assertThat(fx.run("encrypt-existing", f.getParent().toString(), "--bucket", "aes256").exit()).isZero();
    }

    @Test
    void dataDirOverride_opensTheKeysOfThatDirectory() throws Exception {
        Path moved = tmp.resolve("moved");
        Files.move(fx.state, moved);

        assertThat(fx.run("keys", "list").exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("--data-dir", moved.toString(), "keys", "list").exit()).isZero();
    }
}
