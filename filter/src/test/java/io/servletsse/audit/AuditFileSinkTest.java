package io.servletsse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AuditFileSinkTest {
    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt("2026-12-04T02:15:00.123Z");
    private final List<String> fallback = Collections.synchronizedList(new ArrayList<>());

    private static String line(int i) {
        return "{\"time\":\"2026-12-04T02:15:00.123Z\",\"requestId\":\"R" + i + "\",\"action\":\"kms:Decrypt\",\"key\":\"é/" + i + "\"}";
    }

    private static List<String> lines(Path f) throws IOException {
        return Files.readAllLines(f, StandardCharsets.UTF_8);
    }

    @Test
    void aBatchIsWrittenAtItsEnd_asJsonLines_inANewOwnerOnlyFileAndDirectory() throws Exception {
        Path file = tmp.resolve("audit/servlet-sse-audit.log");
        try (AuditFileSink sink = AuditFileSink.open(file, 1 << 20, clock, fallback::add)) {
            sink.write(line(1));
            sink.write(line(2));
            assertThat(Files.size(file)).as("gathered until the batch ends: one write per batch").isZero();

            sink.endOfBatch();

            assertThat(lines(file)).containsExactly(line(1), line(2));
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).endsWith("\"}\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        }
        assertThat(fallback).isEmpty();
    }

    @Test
    void anExistingFile_isAppendedTo_andKeepsItsPermissions() throws Exception {
        Path file = tmp.resolve("audit.log");
        Files.writeString(file, "{\"old\":1}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (AuditFileSink sink = AuditFileSink.open(file, 1 << 20, clock, fallback::add)) {
            sink.write(line(1));
        } // close writes what is pending

        assertThat(lines(file)).containsExactly("{\"old\":1}", line(1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void pastMaxFileBytes_theFileIsRenamedAside_withTheTimeOfTheRename_neverSplitNorDeleted() throws Exception {
        Path file = tmp.resolve("audit.log");
        int lineBytes = line(10).getBytes(StandardCharsets.UTF_8).length + 1;
        long max = 3L * lineBytes; // three lines of this length per file
        try (AuditFileSink sink = AuditFileSink.open(file, max, clock, fallback::add)) {
            for (int i = 10; i < 17; i++) {
                sink.write(line(i));
                if (i == 12) {
                    sink.endOfBatch(); // rotation across a batch end and inside one
                }
                if (i == 13) {
                    clock.advance(Duration.ofSeconds(1));
                }
            }
        }

        Path first = tmp.resolve("audit.log.20261204T021500.123Z");
        Path second = tmp.resolve("audit.log.20261204T021501.123Z");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("audit.log", first.getFileName().toString(), second.getFileName().toString());
        }
        assertThat(lines(first)).containsExactly(line(10), line(11), line(12));
        assertThat(lines(second)).containsExactly(line(13), line(14), line(15));
        assertThat(lines(file)).containsExactly(line(16));
        assertThat(fallback).isEmpty();
    }

    @Test
    void twoRotationsInOneMillisecond_keepBothFiles() throws Exception {
        Path file = tmp.resolve("audit.log");
        long max = line(1).getBytes(StandardCharsets.UTF_8).length + 1L; // one line per file
        try (AuditFileSink sink = AuditFileSink.open(file, max, clock, fallback::add)) {
            for (int i = 1; i <= 3; i++) {
                sink.write(line(i));
            }
        }
        assertThat(lines(tmp.resolve("audit.log.20261204T021500.123Z"))).containsExactly(line(1));
        assertThat(lines(tmp.resolve("audit.log.20261204T021500.123Z-2"))).containsExactly(line(2));
        assertThat(lines(file)).containsExactly(line(3));
    }

    @Test
    void aFileThatCannotBeWritten_sendsEveryLineToTheFallback_andIsTriedAgainByTheNextBatch() throws Exception {
        Path devFull = Path.of("/dev/full"); // every write fails with ENOSPC: a full disk
        assertThat(Files.isWritable(devFull)).as("Linux /dev/full").isTrue();
        Path file = tmp.resolve("audit.log");
        Files.createSymbolicLink(file, devFull);
        try (AuditFileSink sink = AuditFileSink.open(file, 1 << 20, clock, fallback::add)) {
            sink.write(line(1));
            sink.write(line(2));
            sink.endOfBatch();
            assertThat(fallback).containsExactly(line(1), line(2));

            Files.delete(file); // space again: the next batch reopens the path, now a regular file
            sink.write(line(3));
            sink.endOfBatch();

            assertThat(lines(file)).containsExactly(line(3));
            assertThat(fallback).containsExactly(line(1), line(2));
        }
    }

    @Test
    void afterClose_linesGoToTheFallback() throws Exception {
        Path file = tmp.resolve("audit.log");
        AuditFileSink sink = AuditFileSink.open(file, 1 << 20, clock, fallback::add);
        sink.write(line(1));
        sink.close();
        sink.close();
        sink.write(line(2));
        sink.endOfBatch();

        assertThat(lines(file)).containsExactly(line(1));
        assertThat(fallback).containsExactly(line(2));
    }

    @Test
    void aPathThatCannotBeAFile_failsAtOpen() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("audit.log"));
        assertThatThrownBy(() -> AuditFileSink.open(dir, 1 << 20, clock, fallback::add)).isInstanceOf(IOException.class);
        Path underAFile = Files.writeString(tmp.resolve("plain"), "x").resolve("audit.log");
        assertThatThrownBy(() -> AuditFileSink.open(underAFile, 1 << 20, clock, fallback::add)).isInstanceOf(IOException.class);
    }

    @Test
    void behindTheAsyncSink_flushMeansOnDisk_andCloseClosesTheFile() throws Exception {
        Path file = tmp.resolve("audit.log");
        AsyncAuditSink async = new AsyncAuditSink(AuditFileSink.open(file, 1 << 20, clock, fallback::add), 64);
        for (int i = 0; i < 100; i++) {
            async.write(line(i));
        }
        async.flush();
        assertThat(lines(file)).hasSize(100).startsWith(line(0)).endsWith(line(99));

        async.write(line(100));
        async.close();
        assertThat(lines(file)).hasSize(101).endsWith(line(100));
        async.write(line(101)); // after close: on the caller's thread, to the closed file's fallback
        assertThat(fallback).containsExactly(line(101));
    }
}
