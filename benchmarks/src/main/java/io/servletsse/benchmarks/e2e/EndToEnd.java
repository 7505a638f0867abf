package io.servletsse.benchmarks.e2e;

import io.servletsse.benchmarks.CryptoEngineBenchmark;
import io.servletsse.sample.CountingSampleApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * End-to-end benchmark of the sample app with and without the servlet-sse filter (issue 8).
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks,sample-app -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.servletsse.benchmarks.e2e.EndToEnd [--quick] [options]
 * </pre>
 *
 * Two sample-app JVMs (identical flags; one {@code --no-filter}) run side by side for the whole
 * run; the client (a raw-socket HTTP/1.1 client) runs in this JVM. Every scenario is measured in
 * rounds, and in each round both apps run back to back in alternating order (A B, B A, ...), so
 * that the load of a shared machine hits both sides alike; figures are medians over rounds with
 * their spread, ratios are medians of the per-round ratios. See docs/BENCHMARKS.md.
 */
public final class EndToEnd {
    static final long MiB = 1L << 20;

    // ---- options -------------------------------------------------------------------------------
    int rounds = 4;
    long largeBytes = 1024 * MiB;
    /** SM4 runs at the speed of BouncyCastle's SM4 (~20-65 MB/s here): 256 MiB by default keeps the run bounded. */
    long sm4LargeBytes = 256 * MiB;
    int smallSeconds = 5;
    /** Small-object load per bucket before anything is measured: the filter's path has more code for the JIT to compile (on 2 cores its JVM took over a minute of load to settle; docs/BENCHMARKS.md). */
    int warmSeconds = 20;
    int connections = 32;
    int smallBytes = 4096;
    long rangeObjectBytes = 1024 * MiB;
    long rangeBytes = MiB;
    long memoryBytes = 4096 * MiB;
    String memoryHeap = "64m";
    String appHeap = "512m";
    List<String> buckets = List.of("aes256", "sm4", "kms");
    List<String> scenarios = List.of("raw", "large", "small", "range", "memory");
    Path jar = Path.of("sample-app/target/servlet-sse-sample-app.jar");
    Path work = Path.of("benchmarks/target/e2e");
    Path chart = Path.of("docs/benchmarks-e2e.png");
    Path jfrDir;
    /** JFR settings for --jfr: a name ("profile") or a .jfc file (e.g. one with a 1 ms sampling period). */
    String jfrSettings = "profile";
    /**
     * async-profiler's libasyncProfiler.so for --async-profiler: loaded into both apps after the warm-up
     * (jcmd JVMTI.agent_load), CPU samples every ms, collapsed stacks written to the run directory.
     */
    Path asyncProfiler;
    /** With this, the second side is this (older) build of the sample app with its filter on: new vs old. */
    Path compareJar;
    List<String> extraFlags = new ArrayList<>();
    boolean keepData;

    final Map<String, Metric> metrics = new LinkedHashMap<>();
    final Map<String, String> facts = new LinkedHashMap<>(); // single-valued results (range bytes, memory, raw cipher)
    final RawHttp.Payload payload = new RawHttp.Payload(8);

    public static void main(String[] args) throws Exception {
        EndToEnd e = new EndToEnd();
        e.parse(args);
        e.run();
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {
                    rounds = 2;
                    largeBytes = 128 * MiB;
                    sm4LargeBytes = 32 * MiB;
                    smallSeconds = 2;
                    warmSeconds = 1;
                    rangeObjectBytes = 64 * MiB;
                    memoryBytes = 256 * MiB;
                }
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--large-mib" -> largeBytes = Long.parseLong(args[++i]) * MiB;
                case "--sm4-large-mib" -> sm4LargeBytes = Long.parseLong(args[++i]) * MiB;
                case "--small-seconds" -> smallSeconds = Integer.parseInt(args[++i]);
                case "--warm-seconds" -> warmSeconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--small-bytes" -> smallBytes = Integer.parseInt(args[++i]);
                case "--range-object-mib" -> rangeObjectBytes = Long.parseLong(args[++i]) * MiB;
                case "--memory-mib" -> memoryBytes = Long.parseLong(args[++i]) * MiB;
                case "--memory-heap" -> memoryHeap = args[++i];
                case "--app-heap" -> appHeap = args[++i];
                case "--buckets" -> buckets = List.of(args[++i].split(","));
                case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                case "--jar" -> jar = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--chart" -> chart = Path.of(args[++i]);
                case "--jfr" -> jfrDir = Path.of(args[++i]);
                case "--jfr-settings" -> jfrSettings = args[++i];
                case "--async-profiler" -> asyncProfiler = Path.of(args[++i]).toAbsolutePath();
                case "--compare-jar" -> compareJar = Path.of(args[++i]);
                case "--jvm-flag" -> extraFlags.add(args[++i]);
                case "--keep-data" -> keepData = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
    }

    static final String USAGE = """
            options: --quick | --rounds N | --large-mib N | --sm4-large-mib N | --small-seconds N | --warm-seconds N | --connections N
                     --small-bytes N | --range-object-mib N | --memory-mib N | --memory-heap 64m | --app-heap 512m
                     --buckets aes256,sm4,kms | --scenarios raw,large,small,range,memory | --jar PATH | --work DIR
                     --chart PNG | --jfr DIR (JFR profile of both apps) | --jfr-settings profile|FILE.jfc
                     --async-profiler libasyncProfiler.so (CPU profile of both apps, collapsed, in the run directory)
                     --jvm-flag F (both apps; repeatable) | --keep-data
                     --compare-jar OLD.jar (second side = an older build WITH its filter: before/after a fix)""";

    // ---- the run -------------------------------------------------------------------------------

    void run() throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build with mvn -B -ntp -q -pl benchmarks,sample-app -am package -DskipTests");
        }
        Instant started = Instant.now();
        Path runDir = work.resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(runDir);
        log("run directory " + runDir.toAbsolutePath() + "; " + environment());
        try {
            if (scenarios.contains("raw")) {
                rawCipher();
            }
            if (scenarios.contains("large") || scenarios.contains("small")) {
                twoApps(runDir);
            }
            if (scenarios.contains("range")) {
                rangeBytes(runDir);
            }
            if (scenarios.contains("memory")) {
                memory(runDir);
            }
        } finally {
            if (!keepData) {
                deleteTree(runDir.resolve("data-filter"));
                deleteTree(runDir.resolve("data-nofilter"));
                deleteTree(runDir.resolve("data-range"));
                deleteTree(runDir.resolve("data-memory"));
            }
        }
        String report = report(started);
        Files.writeString(runDir.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
        if (chart != null && !metrics.isEmpty()) {
            Chart.draw(this, chart, environment());
            log("chart written to " + chart);
        }
        log("results in " + runDir.resolve("results.md") + " (" + (Instant.now().getEpochSecond() - started.getEpochSecond()) + " s)");
    }

    List<String> appFlags(String side) {
        List<String> f = new ArrayList<>(List.of("-Xms" + appHeap, "-Xmx" + appHeap, "-XX:+UseG1GC"));
        f.addAll(extraFlags);
        return f;
    }

    private void twoApps(Path runDir) throws Exception {
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
        }
        try (AppProcess withFilter = new AppProcess("filter", jar, appFlags("filter"), runDir.resolve("data-filter"), true, runDir);
                AppProcess without = compareJar == null
                        ? new AppProcess("nofilter", jar, appFlags("nofilter"), runDir.resolve("data-nofilter"), false, runDir)
                        : new AppProcess("baseline", compareJar, appFlags("baseline"), runDir.resolve("data-nofilter"), true, runDir)) {
            log("apps: filter on port " + withFilter.port + " (pid " + withFilter.pid() + "), no filter on port "
                    + without.port + " (pid " + without.pid() + "), flags " + appFlags("<side>"));
            for (AppProcess app : List.of(withFilter, without)) {
                warmUp(app);
            }
            if (jfrDir != null) { // the measured part only, not the warm-up
                for (AppProcess app : List.of(withFilter, without)) {
                    jcmd(app, "JFR.start", "name=bench", "settings=" + jfrSettings,
                            "filename=" + jfrDir.toAbsolutePath().resolve(app.name + ".jfr"));
                }
            }
            if (asyncProfiler != null) { // intrinsics and native frames too, which JFR does not sample
                for (AppProcess app : List.of(withFilter, without)) {
                    jcmd(app, "JVMTI.agent_load", asyncProfiler.toString(), "\"start,event=cpu,interval=1ms,threads\"");
                }
            }
            AppProcess[] pair = {withFilter, without};
            if (scenarios.contains("large")) {
                for (int r = 0; r < rounds; r++) {
                    for (String bucket : buckets) {
                        large(pair, bucket, r);
                    }
                }
            }
            if (scenarios.contains("small")) {
                for (int r = 0; r < rounds; r++) {
                    for (String bucket : buckets) {
                        small(pair, bucket, r);
                    }
                }
            }
            if (jfrDir != null) {
                for (AppProcess app : List.of(withFilter, without)) {
                    jcmd(app, "JFR.stop", "name=bench");
                }
            }
            if (asyncProfiler != null) {
                for (AppProcess app : List.of(withFilter, without)) {
                    jcmd(app, "JVMTI.agent_load", asyncProfiler.toString(),
                            "\"stop,collapsed,file=" + runDir.toAbsolutePath().resolve(app.name + ".collapsed") + "\"");
                }
            }
        }
    }

    /** Buckets, JIT and the KMS default CMK (created on first use): nothing of this is measured. */
    private void warmUp(AppProcess app) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", app.port)) {
            for (String b : Stream.concat(Stream.of("plain"), buckets.stream()).toList()) {
                expect(c.send("PUT", "/" + b, null, 0, payload, false), 200, "create bucket " + b);
            }
            for (String b : buckets) {
                long n = b.contains("sm4") ? 16 * MiB : 64 * MiB;
                for (int i = 0; i < 3; i++) {
                    expect(c.send("PUT", "/" + b + "/warm", null, n, payload, false), 200, "warm PUT");
                    RawHttp.Response g = c.send("GET", "/" + b + "/warm", null, -1, payload, true);
                    expect(g, 200, "warm GET");
                    check(g.crc32() == payload.crc32(n) && g.bodyLength() == n, "warm GET returned other bytes (" + b + ")");
                    RawHttp.Response rg = c.send("GET", "/" + b + "/warm", Map.of("Range", "bytes=" + (n - MiB) + "-"), -1, payload, true);
                    expect(rg, 206, "warm range");
                    check(rg.crc32() == payload.crc32(n - MiB, MiB), "warm range returned other bytes (" + b + ")");
                }
                c.send("DELETE", "/" + b + "/warm", null, -1, payload, false);
            }
        }
        for (String b : buckets) {
            smallRun(app, b, warmSeconds);
        }
        log("warmed up " + app.name);
    }

    // ---- large objects (and the Range time on the same object) --------------------------------

    private void large(AppProcess[] pair, String bucket, int round) throws Exception {
        long size = bucket.contains("sm4") ? sm4LargeBytes : largeBytes;
        double[][] put = new double[2][], get = new double[2][], range = new double[2][];
        double[] putCpu = new double[2], getCpu = new double[2];
        for (int k = 0; k < 2; k++) {
            int side = (round % 2 == 0) ? k : 1 - k; // A B, then B A
            AppProcess app = pair[side];
            try (RawHttp c = new RawHttp("127.0.0.1", app.port)) {
                String path = "/" + bucket + "/large.bin";
                long c0 = app.cpuMillis();
                long t0 = System.nanoTime();
                expect(c.send("PUT", path, null, size, payload, false), 200, "large PUT");
                long t1 = System.nanoTime();
                long c1 = app.cpuMillis();
                RawHttp.Response g = c.send("GET", path, null, -1, payload, false);
                long t2 = System.nanoTime();
                long c2 = app.cpuMillis();
                putCpu[side] = (c1 - c0) * 1000.0 / (size / 1e6);
                getCpu[side] = (c2 - c1) * 1000.0 / (size / 1e6);
                expect(g, 200, "large GET");
                check(g.bodyLength() == size, "large GET length " + g.bodyLength());
                put[side] = new double[] {size / 1e6 / ((t1 - t0) / 1e9)};
                get[side] = new double[] {size / 1e6 / ((t2 - t1) / 1e9)};
                // Range: the last MiB, five times, median time; the bytes checked once
                double[] ms = new double[5];
                for (int i = 0; i < ms.length; i++) {
                    long s0 = System.nanoTime();
                    RawHttp.Response rg = c.send("GET", path, Map.of("Range", "bytes=" + (size - rangeBytes) + "-"), -1, payload, i == 0);
                    ms[i] = (System.nanoTime() - s0) / 1e6;
                    expect(rg, 206, "range GET");
                    check(rg.bodyLength() == rangeBytes, "range length " + rg.bodyLength());
                    check(i > 0 || rg.crc32() == payload.crc32(size - rangeBytes, rangeBytes), "range returned other bytes");
                }
                range[side] = new double[] {Metric.median(ms)};
                expect(c.send("DELETE", path, null, -1, payload, false), 204, "large DELETE");
            }
        }
        String sizeLabel = (size / MiB) + " MiB";
        metric("large", bucket + " PUT " + sizeLabel, "MB/s").add(put[0][0], put[1][0]);
        metric("large", bucket + " GET " + sizeLabel, "MB/s").add(get[0][0], get[1][0]);
        metric("range", bucket + " last MiB of " + sizeLabel, "ms").add(range[0][0], range[1][0]);
        metric("large", bucket + " PUT app CPU per MB", "µs/MB").add(putCpu[0], putCpu[1]);
        metric("large", bucket + " GET app CPU per MB", "µs/MB").add(getCpu[0], getCpu[1]);
        log(String.format("round %d large %-6s PUT %7.1f / %7.1f MB/s  GET %7.1f / %7.1f MB/s  range %.1f / %.1f ms",
                round + 1, bucket, put[0][0], put[1][0], get[0][0], get[1][0], range[0][0], range[1][0]));
    }

    // ---- small objects ----------------------------------------------------------------------------

    record SmallResult(double putRate, double putP50, double putP99, double putCpu, double getRate, double getP50,
            double getP99, double getCpu) {}

    private void small(AppProcess[] pair, String bucket, int round) throws Exception {
        SmallResult[] res = new SmallResult[2];
        for (int k = 0; k < 2; k++) {
            int side = (round % 2 == 0) ? k : 1 - k;
            res[side] = smallRun(pair[side], bucket, smallSeconds);
        }
        String g = "small";
        metric(g, bucket + " PUT req/s", "req/s").add(res[0].putRate, res[1].putRate);
        metric(g, bucket + " GET req/s", "req/s").add(res[0].getRate, res[1].getRate);
        metric(g, bucket + " PUT p50", "ms").add(res[0].putP50, res[1].putP50);
        metric(g, bucket + " PUT p99", "ms").add(res[0].putP99, res[1].putP99);
        metric(g, bucket + " GET p50", "ms").add(res[0].getP50, res[1].getP50);
        metric(g, bucket + " GET p99", "ms").add(res[0].getP99, res[1].getP99);
        metric(g, bucket + " PUT app CPU per request", "µs").add(res[0].putCpu, res[1].putCpu);
        metric(g, bucket + " GET app CPU per request", "µs").add(res[0].getCpu, res[1].getCpu);
        log(String.format("round %d small %-6s PUT %6.0f / %6.0f req/s p99 %.2f / %.2f ms  GET %6.0f / %6.0f req/s p99 %.2f / %.2f ms",
                round + 1, bucket, res[0].putRate, res[1].putRate, res[0].putP99, res[1].putP99, res[0].getRate,
                res[1].getRate, res[0].getP99, res[1].getP99));
    }

    /** PUT phase then GET phase, {@code seconds} each, {@link #connections} keep-alive connections. */
    private SmallResult smallRun(AppProcess app, String bucket, int seconds) throws Exception {
        double[] put = phase(app, bucket, seconds, true);
        double[] get = phase(app, bucket, seconds, false);
        return new SmallResult(put[0], put[1], put[2], put[3], get[0], get[1], get[2], get[3]);
    }

    private static final int KEYS_PER_CONNECTION = 16;
    private final java.util.Set<String> seeded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {req/s, p50 ms, p99 ms, CPU µs of the app process per request}. */
    private double[] phase(AppProcess app, String bucket, int seconds, boolean upload) throws Exception {
        int n = connections;
        boolean seed = !upload && seeded.add(app.name + "/" + bucket);
        long[][] lat = new long[n][];
        int[] count = new int[n];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                long[] l = new long[1 << 14];
                int c = 0;
                try (RawHttp http = new RawHttp("127.0.0.1", app.port)) {
                    String prefix = "/" + bucket + "/small/c" + id + "-";
                    if (!upload && seed) {
                        for (int k = 0; k < KEYS_PER_CONNECTION; k++) { // the objects the GETs read, once per app and bucket
                            expect(http.send("PUT", prefix + k, null, smallBytes, payload, false), 200, "seed");
                        }
                    }
                    http.send("HEAD", prefix + "0", null, -1, payload, false); // connect before the clock starts
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    for (int i = 0; System.nanoTime() < end; i++) {
                        String path = prefix + (i % KEYS_PER_CONNECTION);
                        long t0 = System.nanoTime();
                        RawHttp.Response r = upload ? http.send("PUT", path, null, smallBytes, payload, false)
                                : http.send("GET", path, null, -1, payload, false);
                        long dt = System.nanoTime() - t0;
                        if (r.status() != 200 || (!upload && r.bodyLength() != smallBytes)) {
                            throw new IOException((upload ? "PUT " : "GET ") + path + " answered " + r.status() + " " + r.text());
                        }
                        if (c == l.length) {
                            l = Arrays.copyOf(l, c * 2);
                        }
                        l[c++] = dt;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ready.countDown();
                }
                lat[id] = l;
                count[id] = c;
            }, "small-" + t);
            threads[t].start();
        }
        ready.await();
        long cpu0 = app.cpuMillis();
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds * 1_000_000_000L;
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - window[0];
        long cpu = app.cpuMillis() - cpu0;
        if (failure.get() != null) {
            throw new IllegalStateException("small " + (upload ? "PUT" : "GET") + " on " + app.name + "/" + bucket, failure.get());
        }
        int total = Arrays.stream(count).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < n; t++) {
            System.arraycopy(lat[t], 0, all, at, count[t]);
            at += count[t];
        }
        Arrays.sort(all);
        return new double[] {total / (elapsed / 1e9), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6,
                cpu * 1000.0 / Math.max(1, total)};
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // ---- Range: bytes the app sends (in-process, counted behind the filter) -----------------------

    private void rangeBytes(Path runDir) throws Exception {
        Path data = runDir.resolve("data-range");
        for (boolean filter : new boolean[] {true, false}) {
            try (CountingSampleApp app = CountingSampleApp.start(data.resolve(filter ? "filter" : "nofilter"), filter);
                    RawHttp c = new RawHttp("127.0.0.1", app.port())) {
                for (String bucket : filter ? buckets : List.of("aes256")) {
                    expect(c.send("PUT", "/" + bucket, null, 0, payload, false), 200, "bucket");
                    String path = "/" + bucket + "/range.bin";
                    long size = bucket.contains("sm4") ? Math.min(rangeObjectBytes, sm4LargeBytes) : rangeObjectBytes;
                    expect(c.send("PUT", path, null, size, payload, false), 200, "range object PUT");
                    long[] bytes = new long[3];
                    long calls = 0;
                    long client = 0;
                    for (int i = 0; i < bytes.length; i++) {
                        app.reset();
                        RawHttp.Response r = c.send("GET", path, Map.of("Range", "bytes=" + (size - rangeBytes) + "-"), -1, payload, true);
                        expect(r, 206, "range");
                        check(r.crc32() == payload.crc32(size - rangeBytes, rangeBytes), "range bytes differ");
                        bytes[i] = app.appBytes();
                        calls = app.appCalls();
                        client = r.bodyLength();
                    }
                    long seg = 65536 + 16;
                    long limit = rangeBytes + 2 * seg + 4096;
                    String key = (filter ? bucket : "no filter") + ", last MiB of " + (size / MiB) + " MiB";
                    facts.put("range bytes " + key, bytes[bytes.length - 1] + " B in " + calls + " app call(s), client got " + client
                            + " B" + (filter ? "; limit 1 MiB + 2 segments + header = " + limit + " B: "
                            + (bytes[bytes.length - 1] <= limit ? "met" : "MISSED") : ""));
                    log("range bytes " + key + ": " + facts.get("range bytes " + key));
                    c.send("DELETE", path, null, -1, payload, false);
                }
            }
        }
    }

    // ---- memory: 4 GiB through the filter in a 64 MiB heap -------------------------------------------

    private void memory(Path runDir) throws Exception {
        Path gcLog = runDir.resolve("memory-gc.log");
        List<String> flags = new ArrayList<>(List.of("-Xmx" + memoryHeap, "-Xlog:gc:file=" + gcLog));
        flags.addAll(extraFlags);
        String bucket = buckets.contains("aes256") ? "aes256" : buckets.get(0);
        try (AppProcess app = new AppProcess("memory", jar, flags, runDir.resolve("data-memory"), true, runDir);
                RawHttp c = new RawHttp("127.0.0.1", app.port)) {
            expect(c.send("PUT", "/" + bucket, null, 0, payload, false), 200, "bucket");
            String path = "/" + bucket + "/huge.bin";
            long t0 = System.nanoTime();
            RawHttp.Response p = c.send("PUT", path, null, memoryBytes, payload, false);
            long t1 = System.nanoTime();
            expect(p, 200, "memory PUT");
            RawHttp.Response g = c.send("GET", path, null, -1, payload, true);
            long t2 = System.nanoTime();
            expect(g, 200, "memory GET");
            boolean intact = g.bodyLength() == memoryBytes && g.crc32() == payload.crc32(memoryBytes);
            long rss = app.peakRssKib();
            c.send("DELETE", path, null, -1, payload, false);
            double[] heap = gcPeaks(gcLog);
            String s = String.format("%d MiB %s object, -Xmx%s, filter on: PUT %.0f MB/s, GET %.0f MB/s, round trip %s, "
                            + "heap before GC max %.0f MiB, after GC max %.0f MiB, %d GCs, peak RSS %d MiB",
                    memoryBytes / MiB, bucket, memoryHeap, memoryBytes / 1e6 / ((t1 - t0) / 1e9),
                    memoryBytes / 1e6 / ((t2 - t1) / 1e9), intact ? "intact (length and CRC-32 match)" : "CORRUPT",
                    heap[0], heap[1], (long) heap[2], rss / 1024);
            facts.put("memory", s);
            log(s);
        }
    }

    /** {max heap before GC, max after GC (MiB), number of GCs} from -Xlog:gc. */
    static double[] gcPeaks(Path gcLog) throws IOException {
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        double before = 0, after = 0, n = 0;
        for (String l : Files.readAllLines(gcLog)) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
                n++;
            }
        }
        return new double[] {before, after, n};
    }

    // ---- raw cipher speed (this JVM, one thread) ---------------------------------------------------

    private void rawCipher() throws Exception {
        for (String alg : new String[] {"AES_256_GCM", "SM4_GCM"}) {
            CryptoEngineBenchmark b = new CryptoEngineBenchmark();
            b.algorithm = alg;
            b.setUp();
            double[] enc = new double[5], dec = new double[5];
            for (int warm = 0; warm < 3; warm++) {
                b.encryptRaw();
                b.decryptRaw();
            }
            int reps = alg.startsWith("AES") ? 8 : 2;
            for (int i = 0; i < enc.length; i++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    b.encryptRaw();
                }
                long t1 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    b.decryptRaw();
                }
                long t2 = System.nanoTime();
                enc[i] = (double) reps * objectBytes(b) / 1e6 / ((t1 - t0) / 1e9);
                dec[i] = (double) reps * objectBytes(b) / 1e6 / ((t2 - t1) / 1e9);
            }
            String s = "encrypt " + Metric.spread(enc) + " MB/s, decrypt " + Metric.spread(dec) + " MB/s";
            facts.put("raw " + alg + " (one core, 64 KiB segments)", s);
            log("raw " + alg + ": " + s);
        }
    }

    private static long objectBytes(CryptoEngineBenchmark b) {
        return "AES_256_GCM".equals(b.algorithm) ? 16 << 20 : 4 << 20;
    }

    // ---- report --------------------------------------------------------------------------------------

    Metric metric(String group, String name, String unit) {
        return metrics.computeIfAbsent(group + "|" + name, k -> new Metric(group, name, unit));
    }

    String report(Instant started) {
        StringBuilder sb = new StringBuilder();
        if (compareJar != null) {
            sb.append("COMPARISON RUN: 'without' = ").append(compareJar).append(" with its filter on; ratio = this build / that one\n");
        }
        sb.append("Run ").append(started).append(", ").append(environment()).append('\n');
        sb.append(String.format("rounds %d, large %d MiB (SM4 %d MiB), small %d B x %d connections x %d s per phase, "
                        + "range: last %d MiB of %d MiB, memory %d MiB in -Xmx%s, apps -Xmx%s%n%n",
                rounds, largeBytes / MiB, sm4LargeBytes / MiB, smallBytes, connections, smallSeconds, rangeBytes / MiB,
                rangeObjectBytes / MiB, memoryBytes / MiB, memoryHeap, appHeap));
        sb.append("| scenario | with filter, median (min–max) | without | ratio filter/none, median (min–max) | target |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Metric m : metrics.values()) {
            double[] r = m.ratios();
            String target = target(m);
            sb.append("| ").append(m.group).append(": ").append(m.name).append(" (").append(m.unit).append(")")
                    .append(" | ").append(Metric.spread(m.side(0)))
                    .append(" | ").append(Metric.spread(m.side(1)))
                    .append(" | ").append(m.additive() ? "+" + Metric.spread(m.differences()) + " " + m.unit : Metric.spread(r))
                    .append(" | ").append(target).append(" |\n");
        }
        sb.append('\n');
        facts.forEach((k, v) -> sb.append("* ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** The target for a metric and whether the median met it; "" where there is none. */
    String target(Metric m) {
        boolean kmsOrAes = m.name.startsWith("aes256") || m.name.startsWith("kms ");
        double ratio = Metric.median(m.ratios());
        if (m.group.equals("large") && kmsOrAes && m.unit.equals("MB/s")) {
            return "≥ 0.95: " + (ratio >= 0.95 ? "met" : "**missed**");
        }
        if (m.group.equals("small") && m.unit.equals("req/s")) {
            return "≥ 0.90: " + (ratio >= 0.90 ? "met" : "**missed**");
        }
        if (m.group.equals("small") && m.name.endsWith("p99")) {
            double added = Metric.median(m.differences());
            return "added ≤ 1 ms: " + (added <= 1.0 ? "met" : "**missed**");
        }
        if (m.group.equals("large") && m.name.startsWith("sm4") && m.unit.equals("MB/s")) {
            return "bounded by SM4 (raw speed below)";
        }
        return "";
    }

    static String environment() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException | UncheckedIOException ignored) {
            // not Linux
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (IOException ignored) {
            // not Linux
        }
        return "JDK " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + "), "
                + cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB client heap, load " + load;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static void jcmd(AppProcess app, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(app.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        log("jcmd " + app.name + " " + String.join(" ", command) + " -> " + p.exitValue());
        // jcmd exits 0 even when the command failed; the command's own verdict is in its output
        if (p.exitValue() != 0 || out.contains("ERROR") || (out.contains("return code:") && !out.contains("return code: 0"))) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out.strip());
        }
    }

    static void expect(RawHttp.Response r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + r.status() + " " + r.text());
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static void log(String s) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
        System.out.flush();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
