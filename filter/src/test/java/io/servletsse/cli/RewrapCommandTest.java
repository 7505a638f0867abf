package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.format.ObjectHeader;
import io.servletsse.kms.KeyManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewrapCommandTest extends CliCommandTest {
    @Test
    void rewrapToNewestAfterRotation_rewritesOnlyTheHeader_inPlace() throws Exception {
        Map<Path, byte[]> plain = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            byte[] p = CliFixture.bytes(50_000 * i + 7, i);
            plain.put(fx.storeEncrypted("aes256", "o" + i, p), p);
        }
        Map<Path, byte[]> before = snapshot(plain.keySet());
        Map<Path, Object> inodes = new LinkedHashMap<>();
        for (Path f : plain.keySet()) {
            inodes.put(f, FileIdentity.of(f).fileKey());
        }
        assertThat(fx.run("keys", "rotate", "AES256").exit()).isZero();

        CliFixture.Result r = fx.run("rewrap", fx.objects.toString(), "--to", "newest");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("rewrapped 5 of 5 files to newest");
        for (Path f : plain.keySet()) {
            byte[] old = before.get(f);
            byte[] now = Files.readAllBytes(f);
            ObjectHeader h = CliFixture.header(f);
            assertThat(h.keyEnvelope().keyId()).isEqualTo("AES256@v2");
            assertThat(now).hasSize(old.length);
            assertThat(Arrays.copyOfRange(now, h.length(), now.length))
                    .as("every segment byte of %s unchanged", f).isEqualTo(Arrays.copyOfRange(old, h.length(), old.length));
            assertThat(FileIdentity.of(f).fileKey()).as("same file, rewritten in place").isEqualTo(inodes.get(f));
            assertThat(fx.readAsFilter(f)).isEqualTo(plain.get(f));
        }
        assertThat(fx.run("verify", fx.objects.toString()).exit()).isZero();
    }

    @Test
    void rerun_skipsObjectsAlreadyUnderTheTarget_andDryRunChangesNothing() throws Exception {
        Path a = fx.storeEncrypted("aes256", "a", CliFixture.bytes(1000, 1));
        Path b = fx.storeEncrypted("sm4", "b", CliFixture.bytes(1000, 2));
        fx.storePlain("plain", "c", "legacy".getBytes());
        fx.run("keys", "rotate", "SM4");
        Map<Path, byte[]> before = snapshot(java.util.List.of(a, b));

        CliFixture.Result dry = fx.run("rewrap", fx.objects.toString(), "--to", "newest", "--dry-run");

        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains(b + ": would rewrap sse-oss SM4@v1 -> sse-oss SM4@v2 (in-place)")
                .contains(a + ": already under sse-oss AES256@v1");
        assertThat(snapshot(java.util.List.of(a, b))).containsExactlyInAnyOrderEntriesOf(before);

        CliFixture.Result first = fx.run("rewrap", fx.objects.toString(), "--to", "newest");
        CliFixture.Result second = fx.run("rewrap", fx.objects.toString(), "--to", "newest");

        assertThat(first.out()).contains("rewrapped 1 of 3 files to newest; 1 already there, 1 not encrypted, 0 failed");
        assertThat(second.out()).contains("rewrapped 0 of 3 files to newest; 2 already there, 1 not encrypted, 0 failed");
        assertThat(Arrays.equals(Files.readAllBytes(a), before.get(a))).isTrue();
    }

    @Test
    void rewrapFromMasterKeyToACmk_andBackToAPinnedVersion() throws Exception {
        byte[] p = CliFixture.bytes(100_000, 3);
        Path f = fx.storeEncrypted("sm4", "x", p);
        byte[] segments = segments(f);
        String cmk = fx.runtime().keys().services().keyAdmin().createKey("cli test").keyId();

        assertThat(fx.run("rewrap", f.toString(), "--to", cmk).exit()).isZero();
        ObjectHeader h = CliFixture.header(f);
        assertThat(h.keyEnvelope().provider()).isEqualTo("kms");
        assertThat(h.keyEnvelope().keyId()).isEqualTo(cmk);
        assertThat(fx.readAsFilter(f)).isEqualTo(p);

        fx.run("keys", "rotate", "SM4");
        assertThat(fx.run("rewrap", f.toString(), "--to", "SM4@v1").exit()).isZero();
        assertThat(CliFixture.header(f).keyEnvelope().keyId()).isEqualTo("SM4@v1");
        assertThat(segments(f)).isEqualTo(segments);
        assertThat(fx.readAsFilter(f)).isEqualTo(p);
    }

    @Test
    void rewrapToNewestAfterCmkRotation_movesKmsObjectsToTheNewMaterialVersion() throws Exception {
        Path f = fx.storeEncrypted("kms", "k", CliFixture.bytes(10_000, 4));
        assertThat(KeyManager.materialVersionOf(CliFixture.header(f).keyEnvelope())).isEqualTo(1);
        String cmk = CliFixture.header(f).keyEnvelope().keyId();

        assertThat(fx.run("keys", "rotate", cmk).out()).contains("material v1 -> v2");
        CliFixture.Result r = fx.run("rewrap", fx.objects.toString(), "--to", "newest");

        assertThat(r.exit()).isZero();
        assertThat(KeyManager.materialVersionOf(CliFixture.header(f).keyEnvelope())).isEqualTo(2);
        assertThat(fx.run("verify", f.toString()).exit()).isZero();
    }

    @Test
    void copyMode_replacesTheFileWhole_withTheSameSegments() throws Exception {
        byte[] p = CliFixture.bytes(200_000, 5);
        Path f = fx.storeEncrypted("aes256", "c", p);
        byte[] segments = segments(f);
        Object inode = FileIdentity.of(f).fileKey();
        fx.run("keys", "rotate", "AES256");

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "AES256", "--copy");

        assertThat(r.out()).contains("copied (--copy)");
        assertThat(FileIdentity.of(f).fileKey()).isNotEqualTo(inode);
        assertThat(segments(f)).isEqualTo(segments);
        assertThat(fx.readAsFilter(f)).isEqualTo(p);
    }

    /** A ring whose rotation is due is not rotated by a dry run, and a real run wraps to the version it reported. */
    @Test
    void dueRotation_isNotTriggeredByTheDryRun_andTheRunWrapsToTheVersionItReported() throws Exception {
        Files.writeString(fx.config, Files.readString(fx.config).replaceFirst("\\{", "{ \"masterKeyRotation\": \"PT0.001S\","));
        fx.reopen();
        Path f = fx.storeEncrypted("aes256", "due", CliFixture.bytes(1000, 8));
        fx.run("keys", "rotate", "AES256");
        Thread.sleep(5); // the newest version is now older than the rotation period (not a timing assertion)

        CliFixture.Result dry = fx.run("rewrap", f.toString(), "--to", "AES256", "--dry-run");
        assertThat(dry.out()).contains("would rewrap sse-oss AES256@v1 -> sse-oss AES256@v2");
        assertThat(fx.run("keys", "list").out()).contains("AES256@v2").doesNotContain("AES256@v3");

        CliFixture.Result run = fx.run("rewrap", f.toString(), "--to", "AES256");
        assertThat(run.out()).contains("sse-oss AES256@v1 -> sse-oss AES256@v2");
        assertThat(CliFixture.header(f).keyEnvelope().keyId()).isEqualTo("AES256@v2");
    }

    @Test
    void copyMode_refusesAFileWithOtherHardLinks_whichWouldKeepTheOldEnvelope() throws Exception {
        Path f = fx.storeEncrypted("aes256", "linked", CliFixture.bytes(1000, 7));
        Path other = Files.createLink(f.resolveSibling("other-name"), f);
        byte[] before = Files.readAllBytes(f);
        fx.run("keys", "rotate", "AES256");

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "AES256", "--copy");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains("has 2 hard links");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertThat(Files.isSameFile(f, other)).isTrue();
    }

    @Test
    void aRingThatDoesNotMatchTheObjectsAlgorithm_isRefusedPerFile_andNothingChanges() throws Exception {
        Path f = fx.storeEncrypted("aes256", "a", CliFixture.bytes(100, 6));
        byte[] before = Files.readAllBytes(f);
        fx.run("keys", "rotate", "SM4");

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "SM4");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains("NOT rewrapped").contains("goes under the AES256 master key, not SM4");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void aFileWithTheMagicButNoValidHeader_isAFinding_andLeftAlone() throws Exception {
        byte[] fake = CliFixture.bytes(3000, 11);
        System.arraycopy(ObjectHeader.magic(), 0, fake, 0, 4);
        Path f = fx.storePlain("aes256", "fake", fake);

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "newest");

        assertThat(r.exit()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(f + ": begins with the format's magic but has no valid header");
        assertThat(Files.readAllBytes(f)).isEqualTo(fake);
    }

    @Test
    void unknownTargets_areUsageErrors() {
        fx.storeEncrypted("aes256", "a", CliFixture.bytes(100, 7));

        assertThat(fx.run("rewrap", fx.objects.toString(), "--to", "AES256@v9").exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("rewrap", fx.objects.toString(), "--to", "alias/nope").exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("rewrap", fx.objects.toString(), "--to", "DES").exit()).isEqualTo(Main.USAGE);
        assertThat(fx.run("rewrap", fx.objects.toString()).exit()).isEqualTo(Main.USAGE);
    }

    @Test
    void tornHeaderLeftByACrash_isCompletedFromTheJournalOnTheNextRun() throws Exception {
        byte[] p = CliFixture.bytes(100_000, 8);
        Path f = fx.storeEncrypted("aes256", "torn", p);
        byte[] oldHeader = Arrays.copyOf(Files.readAllBytes(f), 1024);
        fx.run("keys", "rotate", "AES256");
        // What a crash after the journal record and half of the header write leaves behind:
        byte[] newHeader = newHeaderFor(f, "AES256@v2");
        HeaderJournal journal = new HeaderJournal(fx.state.resolve(HeaderJournal.DIRECTORY));
        journal.writeRecord(f, Files.size(f), oldHeader, newHeader);
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(newHeader, 0, 512), 0);
        }
        assertThat(fx.run("verify", f.toString()).out()).contains("an interrupted rewrap left a journal record");

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "newest");

        assertThat(r.out()).contains("interrupted header rewrite completed").contains("already under sse-oss AES256@v2");
        assertThat(Arrays.copyOf(Files.readAllBytes(f), 1024)).isEqualTo(newHeader);
        assertThat(fx.readAsFilter(f)).isEqualTo(p);
        assertThat(fx.run("verify", f.toString()).exit()).isZero();
    }

    @Test
    void journalOfAnObjectReplacedSince_isDropped_andTheNewObjectIsLeftAlone() throws Exception {
        Path f = fx.storeEncrypted("aes256", "replaced", CliFixture.bytes(1000, 9));
        byte[] oldHeader = Arrays.copyOf(Files.readAllBytes(f), 1024);
        fx.run("keys", "rotate", "AES256");
        byte[] newHeader = newHeaderFor(f, "AES256@v2");
        new HeaderJournal(fx.state.resolve(HeaderJournal.DIRECTORY)).writeRecord(f, Files.size(f), oldHeader, newHeader);
        byte[] other = CliFixture.bytes(1000, 10);
        Path replacement = fx.storeEncrypted("aes256", "replaced", other); // the app stored a new version meanwhile
        byte[] replacementBytes = Files.readAllBytes(replacement);

        CliFixture.Result r = fx.run("rewrap", f.toString(), "--to", "newest");

        assertThat(r.out()).contains("object was replaced since the interrupted rewrap; record removed");
        assertThat(Files.readAllBytes(f)).isEqualTo(replacementBytes);
        assertThat(fx.readAsFilter(f)).isEqualTo(other);
    }

    /** A record whose object cannot be opened stays, as a finding; the run still recovers and rewraps the rest. */
    @Test
    void journalOfAnObjectThatCannotBeOpened_isAFinding_andTheOthersAreStillRewrapped() throws Exception {
        Path stuck = fx.storeEncrypted("aes256", "stuck", CliFixture.bytes(1000, 11));
        Path other = fx.storeEncrypted("aes256", "other", CliFixture.bytes(1000, 12));
        byte[] oldHeader = Arrays.copyOf(Files.readAllBytes(stuck), 1024);
        fx.run("keys", "rotate", "AES256");
        new HeaderJournal(fx.state.resolve(HeaderJournal.DIRECTORY)).writeRecord(stuck, Files.size(stuck), oldHeader,
                newHeaderFor(stuck, "AES256@v2"));
        Files.delete(stuck);
        Files.createDirectory(stuck); // what the record names is now something the tool cannot open as a file

        CliFixture.Result r = fx.run("rewrap", other.toString(), "--to", "newest");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.FINDINGS);
        assertThat(r.out()).contains(stuck + ": cannot finish its interrupted header rewrite");
        assertThat(CliFixture.header(other).keyEnvelope().keyId()).isEqualTo("AES256@v2");
        try (var records = Files.list(fx.state.resolve(HeaderJournal.DIRECTORY))) {
            assertThat(records.filter(p -> p.toString().endsWith(".rewrap"))).hasSize(1);
        }
    }

    /** The header a rewrap to {@code target} would write (computed with the runtime, as the tool does). */
    private byte[] newHeaderFor(Path f, String target) throws Exception {
        ObjectHeader h = CliFixture.header(f);
        var rt = fx.runtime();
        try (var d = rt.openDownload(h)) {
            var env = rt.keys().services().serviceMasterKeys().wrapDataKey(target, d.dataKey(), h.salt());
            return h.withKeyEnvelope(env).encode(d.dataKey());
        }
    }

    private static byte[] segments(Path f) throws Exception {
        byte[] all = Files.readAllBytes(f);
        return Arrays.copyOfRange(all, CliFixture.header(f).length(), all.length);
    }

    private static Map<Path, byte[]> snapshot(Iterable<Path> files) throws Exception {
        Map<Path, byte[]> m = new LinkedHashMap<>();
        for (Path f : files) {
            m.put(f, Files.readAllBytes(f));
        }
        return m;
    }
}
