package io.servletsse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.Crc64;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.SegmentDigests;
import io.servletsse.policy.ConfigException;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's digest threads: bounded, never queueing (saturated work runs on the caller), gone after close. */
class DigestWorkersTest {
    @TempDir
    Path tmp;

    @Test
    void task_runsOnANamedDaemonWorker() throws Exception {
        try (DigestWorkers workers = new DigestWorkers(2)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            FutureTask<Void> task = new FutureTask<>(() -> ranOn.set(Thread.currentThread()), null);
            workers.execute(task);
            task.get();
            assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
            assertThat(ranOn.get().getName()).matches("servlet-sse-digest-\\d+");
            assertThat(ranOn.get().isDaemon()).isTrue();
        }
    }

    @Test
    void poolOfThisMachine_hasOneThreadPerProcessor_cappedAndThenRunsInline() throws Exception {
        int expected = Math.min(Runtime.getRuntime().availableProcessors(), DigestWorkers.MAX_THREADS);
        Thread caller = Thread.currentThread();
        CountDownLatch started = new CountDownLatch(expected);
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> busy = ConcurrentHashMap.newKeySet();
        List<Thread> inline = new ArrayList<>();
        try (DigestWorkers workers = DigestWorkers.forAvailableProcessors()) {
            for (int i = 0; i < expected; i++) {
                workers.execute(() -> {
                    if (Thread.currentThread() == caller) {
                        inline.add(caller); // fewer workers than expected: must not block the test
                        return;
                    }
                    busy.add(Thread.currentThread());
                    started.countDown();
                    awaitUninterruptibly(release);
                });
            }
            assertThat(inline).as("ran inline before the pool was full").isEmpty();
            started.await();
            assertThat(busy).hasSize(expected);
            // Every worker busy: the next task runs here, at once, instead of waiting in a queue.
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            workers.execute(() -> ranOn.set(Thread.currentThread()));
            assertThat(ranOn.get()).isSameAs(caller);
            release.countDown();
        }
        assertThat(busy).allMatch(t -> !t.isAlive());
    }

    @Test
    void close_returnsOnceItsThreadsHaveEnded_andLaterTasksRunInline() throws Exception {
        DigestWorkers workers = new DigestWorkers(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        FutureTask<Void> task = new FutureTask<>(() -> worker.set(Thread.currentThread()), null);
        workers.execute(task);
        task.get();
        workers.close();
        assertThat(worker.get().isAlive()).isFalse();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        workers.execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void runtimeClose_leavesNoDigestThreadRunning() throws Exception {
        SseRuntime runtime = runtime("{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}}");
        Set<Thread> digestedOn = uploadTenSegments(runtime);
        List<Thread> workers = digestedOn.stream().filter(t -> t != Thread.currentThread()).toList();
        assertThat(workers).as("digest threads this runtime started").isNotEmpty()
                .allMatch(t -> t.getName().startsWith(DigestWorkers.THREAD_PREFIX));

        runtime.close();

        assertThat(workers).allMatch(t -> !t.isAlive());
        // A closed runtime starts no thread: whatever still comes runs on the caller.
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        runtime.digestExecutor().execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void digestThreadsZero_digestsEveryUploadOnItsRequestThread() throws Exception {
        SseRuntime runtime = runtime("{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}, \"uploads\":{\"digestThreads\":0}}");
        try {
            assertThat(runtime.digestBatch()).as("no batches without threads: 2 buffers per upload").isEqualTo(1);
            assertThat(uploadTenSegments(runtime)).containsExactly(Thread.currentThread());
        } finally {
            runtime.close();
        }
    }

    @Test
    void digestThreadsConfigured_bounded_andValidated() throws Exception {
        SseRuntime one = runtime("{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}, \"uploads\":{\"digestThreads\":1}}");
        try {
            Set<Thread> on = uploadTenSegments(one);
            assertThat(on.stream().filter(t -> t != Thread.currentThread()))
                    .singleElement().matches(t -> t.getName().startsWith(DigestWorkers.THREAD_PREFIX));
        } finally {
            one.close();
        }
        assertThat(ConfigLoader.parse(ConfigLoader.json().readTree("{}"), tmp.resolve("d")).digestThreads())
                .isEqualTo(SseConfig.AUTO_DIGEST_THREADS);
        assertThat(ConfigLoader.parse(ConfigLoader.json().readTree("{\"uploads\":{}}"), tmp.resolve("d")).digestThreads())
                .isEqualTo(SseConfig.AUTO_DIGEST_THREADS);
        for (String bad : new String[] {"-1", "65", "1.5", "\"2\"", "null"}) {
            assertThatThrownBy(() -> ConfigLoader.parse(
                    ConfigLoader.json().readTree("{\"uploads\":{\"digestThreads\":" + bad + "}}"), tmp.resolve("d")))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("uploads.digestThreads");
        }
        assertThatThrownBy(() -> ConfigLoader.parse(
                ConfigLoader.json().readTree("{\"uploads\":{\"threads\":2}}"), tmp.resolve("d")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("threads");
    }

    @Test
    void tasksHoldAFixedAmountOfPlaintext_whateverTheSegmentSize() throws Exception {
        assertThat(SegmentDigests.DEFAULT_BATCH).isEqualTo(4);
        assertThat(SegmentDigests.batchFor(4096)).isEqualTo(64);
        assertThat(SegmentDigests.batchFor(4 << 20)).as("a 4 MiB segment: one per task, 2 buffers").isEqualTo(1);
        SseRuntime big = runtime("{\"segmentSize\": 1048576, \"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"}}}");
        try {
            assertThat(big.digestBatch()).isEqualTo(1);
            assertThat(uploadTenSegments(big)).hasSizeGreaterThan(1); // still off the request thread
        } finally {
            big.close();
        }
    }

    private SseRuntime runtime(String json) throws Exception {
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(json), tmp.resolve("sse"));
        return SseRuntime.open(config, Clock.systemUTC());
    }

    /** Encrypts ten segments and a bit through the runtime's digest executor; the threads that digested. */
    private static Set<Thread> uploadTenSegments(SseRuntime runtime) throws Exception {
        byte[] plain = new byte[10 * runtime.config().segmentSize() + 5];
        new Random(1).nextBytes(plain);
        Set<Thread> digestedOn = ConcurrentHashMap.newKeySet();
        Crc64 crc = new Crc64();
        SegmentDigests digests = new SegmentDigests(runtime.digestExecutor(), runtime.digestBatch(), (b, off, len) -> {
            digestedOn.add(Thread.currentThread());
            crc.update(b, off, len);
        });
        SseRuntime.Upload up = runtime.planUpload(runtime.rules().effective("vault"), "vault", plain.length);
        try (InputStream enc = ObjectCrypto.encryptingStream(up.header(), up.dataKey(), new ByteArrayInputStream(plain),
                digests)) {
            enc.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            up.dataKey().destroy();
        }
        assertThat(crc.getValue()).isEqualTo(Crc64.update(0, plain, 0, plain.length));
        return digestedOn;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the test releases it
            }
        }
    }
}
