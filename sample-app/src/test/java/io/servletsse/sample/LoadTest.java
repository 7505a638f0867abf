package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.ObjectHeader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: {@code load.clients} (200) concurrent clients against the sample app with the filter, each
 * doing random PUT / GET / HEAD / Range GET / DELETE of random sizes on its own keys in the four
 * kinds of bucket, for three phases of {@code load.seconds}/3 (20 s in all by default; longer:
 * {@code -Dload.seconds=600}). Every response is checked against what that client last stored.
 * Between phases the clients pause, and heap (after GC), live threads and open file descriptors are
 * sampled: they must not grow from phase to phase. Afterwards every stored object is checked on
 * disk (encrypted where the bucket says so, its header and length consistent, no plaintext) and
 * downloaded once more; after the app closes, its threads and descriptors are gone.
 */
class LoadTest {
    @TempDir
    Path tmp;

    static final String[] BUCKETS = {"aes256", "sm4", "kms", "plain"};
    static final String[] OPS = {"PUT", "GET", "HEAD", "RANGE", "DELETE"};

    final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /**
     * path -> {seed, size} of the body the owning client last stored there (absent: not stored or
     * deleted). Bodies are regenerated from their seed when needed, so that the test's own
     * bookkeeping does not show up in the heap measurement.
     */
    final Map<String, long[]> expected = new ConcurrentHashMap<>();

    static byte[] body(long[] seedAndSize) {
        byte[] b = new byte[(int) seedAndSize[1]];
        new Random(seedAndSize[0]).nextBytes(b);
        return b;
    }

    @Test
    void mixedLoad_everyResponseRight_everyObjectVerifies_noLeaks() throws Exception {
        int clients = Integer.getInteger("load.clients", 200);
        int seconds = Integer.getInteger("load.seconds", 20);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        int threadsBefore = Thread.activeCount();
        long fdsBefore = ReliabilitySupport.openFileDescriptors();

        Path dataDir = tmp.resolve("data");
        SampleApp.Running app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(dataDir).withFilter(true));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).executor(Executors.newFixedThreadPool(4)).build();
        List<long[]> samples = new ArrayList<>(); // heap, threads, fds after each phase
        try {
            String base = "http://127.0.0.1:" + app.port();
            for (String b : BUCKETS) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/" + b)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
            for (int phase = 0; phase < 3; phase++) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 3));
                CountDownLatch done = new CountDownLatch(clients);
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    long seed = phase * 100_000L + c;
                    pool.execute(() -> {
                        try {
                            runClient(http, base, client, new Random(seed), end);
                        } catch (Throwable t) {
                            failures.add("client " + client + ": " + t);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                assertThat(done.await(10, TimeUnit.MINUTES)).as("clients finished").isTrue();
                samples.add(sample(memory));
            }
            System.out.println("load-stats: clients=" + clients + " seconds=" + seconds + " served=" + served
                    + " total=" + served.values().stream().mapToLong(AtomicLong::get).sum() + " failures=" + failures.size()
                    + " samples(heapBytes,threads,fds)=" + samples.stream().map(Arrays::toString).toList());
            assertThat(failures).as("wrong or failed responses").isEmpty();

            long verified = verifyEverything(http, base, dataDir);
            System.out.println("load-stats: objects verified=" + verified);
            assertThat(verified).isEqualTo(expected.size());

            // No growth from the end of phase 1 to the end of phase 3 (the caches are warm by then).
            long[] first = samples.get(0);
            long[] last = samples.get(2);
            assertThat(last[0] - first[0]).as("heap growth (bytes) across the run").isLessThan(24L << 20);
            assertThat(last[1] - first[1]).as("thread growth across the run").isLessThanOrEqualTo(16);
            if (first[2] >= 0) {
                assertThat(last[2] - first[2]).as("file descriptor growth across the run").isLessThanOrEqualTo(32);
            }
        } finally {
            pool.shutdownNow();
            app.close();
        }
        // After close: the app's threads and descriptors are released (bounded wait for threads to exit).
        int threadsAfter = Thread.activeCount();
        for (int i = 0; i < 100 && threadsAfter > threadsBefore + 8; i++) {
            Thread.sleep(100);
            threadsAfter = Thread.activeCount();
        }
        long fdsAfter = ReliabilitySupport.openFileDescriptors();
        for (int i = 0; i < 100 && fdsBefore >= 0 && fdsAfter > fdsBefore + 16; i++) {
            Thread.sleep(100);
            fdsAfter = ReliabilitySupport.openFileDescriptors();
        }
        System.out.println("load-stats: threads before=" + threadsBefore + " after close=" + threadsAfter
                + " fds before=" + fdsBefore + " after close=" + fdsAfter);
        // The test's own HttpClient (selector thread, 4 executor threads, pooled connections) is still alive.
        assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 8);
        if (fdsBefore >= 0) {
            assertThat(fdsAfter).isLessThanOrEqualTo(fdsBefore + 16);
        }
    }

    private long[] sample(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return new long[] {memory.getHeapMemoryUsage().getUsed(), Thread.activeCount(),
            ReliabilitySupport.openFileDescriptors()};
    }

    private static int size(Random r) {
        int k = r.nextInt(100);
        if (k < 5) {
            return 0;
        } else if (k < 40) {
            return 1 + r.nextInt(4096);
        } else if (k < 80) {
            return 4096 + r.nextInt(128 * 1024);
        } else if (k < 97) {
            return 65536 * (1 + r.nextInt(4)) + r.nextInt(3) - 1; // around segment boundaries
        }
        return 1_000_000 + r.nextInt(1_000_000);
    }

    private void runClient(HttpClient http, String base, int client, Random r, long end) throws Exception {
        while (System.nanoTime() < end) {
            String bucket = BUCKETS[r.nextInt(BUCKETS.length)];
            String path = "/" + bucket + "/c" + client + "/k" + r.nextInt(3);
            String op = OPS[r.nextInt(OPS.length)];
            long[] wantId = expected.get(path);
            byte[] want = wantId == null ? null : body(wantId);
            String what = op + " " + path;
            switch (op) {
                case "PUT" -> {
                    long[] id = {r.nextLong(), size(r)};
                    byte[] body = body(id);
                    HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                    check(what, res.statusCode() == 200, "status " + res.statusCode());
                    boolean encrypted = !bucket.equals("plain");
                    check(what, res.headers().firstValue("x-oss-server-side-encryption").isPresent() == encrypted,
                            "SSE header " + res.headers().firstValue("x-oss-server-side-encryption"));
                    expected.put(path, id);
                }
                case "GET" -> {
                    HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (want == null) {
                        check(what, res.statusCode() == 404, "status " + res.statusCode() + " for a missing object");
                    } else {
                        check(what, res.statusCode() == 200 && Arrays.equals(res.body(), want),
                                "status " + res.statusCode() + ", " + res.body().length + " bytes, want " + want.length);
                    }
                }
                case "HEAD" -> {
                    HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                    if (want == null) {
                        check(what, res.statusCode() == 404, "status " + res.statusCode());
                    } else {
                        check(what, res.statusCode() == 200
                                && res.headers().firstValueAsLong("Content-Length").orElse(-1) == want.length,
                                "status " + res.statusCode() + " length " + res.headers().firstValue("Content-Length"));
                    }
                }
                case "RANGE" -> {
                    if (want == null || want.length == 0) {
                        op = "GET"; // counted as a GET of a missing or empty object below
                        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        check(what, want == null ? res.statusCode() == 404 : res.statusCode() == 200 && res.body().length == 0,
                                "status " + res.statusCode());
                    } else {
                        long a = r.nextInt(want.length);
                        long b = Math.min(want.length - 1, a + r.nextInt(200_000));
                        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                .header("Range", "bytes=" + a + "-" + b).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                        check(what + " bytes=" + a + "-" + b, res.statusCode() == 206
                                && Arrays.equals(res.body(), Arrays.copyOfRange(want, (int) a, (int) b + 1)),
                                "status " + res.statusCode() + ", " + res.body().length + " bytes");
                    }
                }
                default -> {
                    HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    check(what, res.statusCode() == 204, "status " + res.statusCode());
                    expected.remove(path);
                }
            }
            served.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private void check(String what, boolean ok, String detail) {
        if (!ok) {
            failures.add(what + ": " + detail);
        }
    }

    /** Every object: on disk in the right form, nothing else on disk, and downloads as stored. */
    private long verifyEverything(HttpClient http, String base, Path dataDir) throws Exception {
        Path objects = dataDir.resolve("objects");
        long onDisk;
        try (Stream<Path> files = Files.walk(objects)) {
            onDisk = files.filter(Files::isRegularFile).count();
        }
        assertThat(onDisk).as("objects on disk").isEqualTo(expected.size());
        long verified = 0;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String path = e.getKey();
            byte[] plain = body(e.getValue());
            byte[] disk = Files.readAllBytes(objects.resolve(path.substring(1)));
            if (path.startsWith("/plain/")) {
                boolean lookalike = plain.length >= 4 && ObjectHeader.hasMagic(plain, 0, plain.length);
                assertThat(lookalike || Arrays.equals(disk, plain)).as(path).isTrue();
            } else {
                ObjectHeader h = ObjectHeader.parse(disk, 0, disk.length);
                assertThat(h.algorithm()).as(path).isNotEqualTo(ContentAlgorithm.NONE);
                assertThat(h.plaintextLength(disk.length)).as(path).isEqualTo(plain.length);
                if (plain.length >= 32) {
                    assertThat(ReliabilitySupport.indexOf(disk, Arrays.copyOf(plain, 32))).as(path + " plaintext on disk").isEqualTo(-1);
                }
            }
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).as(path).isEqualTo(plain);
            verified++;
        }
        return verified;
    }
}
