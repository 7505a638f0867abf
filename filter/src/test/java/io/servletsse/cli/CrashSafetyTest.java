package io.servletsse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.format.FormatException;
import io.servletsse.format.ObjectHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a run: the tool runs in a child JVM on a large tree and is killed
 * (SIGKILL, no shutdown hooks) once it has converted some files. Every file must then be either its
 * original bytes or a complete valid new object, and a rerun must finish the job.
 */
class CrashSafetyTest extends CliCommandTest {
    /**
     * Many small objects (and some multi-segment ones) so that even on a file system where fsync is
     * nearly free the run lasts far longer than it takes to notice the first converted files.
     */
    private static final int FILES = 1000;
    private static final int KILL_AFTER = 10;


    @Test
    void encryptExistingKilledMidRun_leavesEveryFileOldOrNew_andARerunCompletes() throws Exception {
        Path bucket = fx.objects.resolve("aes256");
        for (int i = 0; i < FILES; i++) {
            fx.storePlain("aes256", name(i), content(i));
        }

        int convertedAtKill = killMidRun(fx.childJvm(tmp.resolve("child.log"), "encrypt-existing", bucket.toString(),
                "--bucket", "aes256"), bucket, CrashSafetyTest::isEncrypted);

        int encrypted = 0;
        for (int i = 0; i < FILES; i++) {
            Path f = bucket.resolve(name(i));
            byte[] original = content(i);
            if (isEncrypted(f)) {
                encrypted++;
                assertThat(fx.readAsFilter(f)).as("%s is a complete valid object", f).isEqualTo(original);
            } else {
                assertThat(Files.readAllBytes(f)).as("%s is its original bytes", f).isEqualTo(original);
            }
        }
        assertThat(encrypted).as("killed mid-run").isBetween(convertedAtKill, FILES - 1);

        CliFixture.Result rerun = fx.run("encrypt-existing", bucket.toString(), "--bucket", "aes256");

        assertThat(rerun.exit()).as(rerun.out()).isZero();
        assertThat(rerun.out()).contains("encrypted " + (FILES - encrypted) + " of " + FILES + " files under AES256; "
                + encrypted + " already encrypted, 0 problems");
        for (int i = 0; i < FILES; i++) {
            assertThat(fx.readAsFilter(bucket.resolve(name(i)))).isEqualTo(content(i));
        }
        try (var s = Files.list(bucket)) {
            assertThat(s.filter(p -> ObjectTree.TEMP.matcher(p.getFileName().toString()).matches())).isEmpty();
        }
    }

    @Test
    void rewrapKilledMidRun_leavesEveryHeaderOldOrNew_segmentsUntouched_andARerunCompletes() throws Exception {
        Path bucket = fx.objects.resolve("aes256");
        byte[][] oldHeaders = new byte[FILES][];
        byte[][] segmentDigests = new byte[FILES][];
        for (int i = 0; i < FILES; i++) {
            Path f = fx.storeEncrypted("aes256", name(i), content(i));
            byte[] all = Files.readAllBytes(f);
            oldHeaders[i] = Arrays.copyOf(all, 1024);
            segmentDigests[i] = sha256(Arrays.copyOfRange(all, 1024, all.length));
        }
        assertThat(fx.run("keys", "rotate", "AES256").exit()).isZero();
        fx.reopen();

        int doneAtKill = killMidRun(fx.childJvm(tmp.resolve("child.log"), "rewrap", bucket.toString(), "--to", "newest"),
                bucket, CrashSafetyTest::isUnderV2);

        int rewrapped = 0;
        for (int i = 0; i < FILES; i++) {
            Path f = bucket.resolve(name(i));
            byte[] all = Files.readAllBytes(f);
            assertThat(sha256(Arrays.copyOfRange(all, 1024, all.length))).as("segments of %s untouched", f)
                    .isEqualTo(segmentDigests[i]);
            byte[] header = Arrays.copyOf(all, 1024);
            if (!Arrays.equals(header, oldHeaders[i])) {
                rewrapped++;
                assertThat(CliFixture.header(f).keyEnvelope().keyId()).isEqualTo("AES256@v2");
                assertThat(fx.readAsFilter(f)).as("%s is a complete valid object", f).isEqualTo(content(i));
            }
        }
        assertThat(rewrapped).as("killed mid-run").isBetween(doneAtKill, FILES - 1);

        CliFixture.Result rerun = fx.run("rewrap", bucket.toString(), "--to", "newest");

        assertThat(rerun.exit()).as(rerun.out()).isZero();
        for (int i = 0; i < FILES; i++) {
            assertThat(CliFixture.header(bucket.resolve(name(i))).keyEnvelope().keyId()).isEqualTo("AES256@v2");
        }
        assertThat(fx.run("verify", bucket.toString()).out()).contains(FILES + " ok, 0 plaintext (not encrypted), 0 bad");
    }

    /**
     * Starts the child, waits until at least {@link #KILL_AFTER} files satisfy {@code done}, then
     * SIGKILLs it; returns how many were done when it was killed. Fails if the child ended by itself
     * first (the tree would be too small to test an interruption).
     */
    private int killMidRun(ProcessBuilder pb, Path dir, Predicate<Path> done) throws Exception {
        Process child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // a bound against a hang, not a timing assertion
        int n = 0;
        while (child.isAlive() && System.nanoTime() < deadline) {
            n = count(dir, done);
            if (n >= KILL_AFTER) {
                break;
            }
            Thread.sleep(5);
        }
        assertThat(child.isAlive()).as("the child is still running when killed; its output:%n%s",
                Files.exists(tmp.resolve("child.log")) ? Files.readString(tmp.resolve("child.log")) : "").isTrue();
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        return n;
    }

    /** How many of the first files (the tool goes in name order) are done, looking no further than needed. */
    private static int count(Path dir, Predicate<Path> done) {
        int n = 0;
        for (int i = 0; i < FILES && n < KILL_AFTER; i++) {
            if (done.test(dir.resolve(name(i)))) {
                n++;
            }
        }
        return n;
    }

    /** Object i's plaintext: 8 KiB (one segment), every 100th 300 KiB (five segments). */
    private static byte[] content(int i) {
        return CliFixture.bytes(i % 100 == 0 ? 300 * 1024 : 8 * 1024, i);
    }

    private static String name(int i) {
        return String.format("obj-%04d", i);
    }

    private static boolean isEncrypted(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            byte[] head = in.readNBytes(4);
            return ObjectHeader.hasMagic(head, 0, head.length);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isUnderV2(Path f) {
        try {
            return CliFixture.header(f).keyEnvelope().keyId().equals("AES256@v2");
        } catch (IOException | FormatException e) {
            return false;
        }
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
