package io.servletsse.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.Crc64;
import io.servletsse.crypto.DataKey;
import io.servletsse.engine.DigestWorkers;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.SegmentDigests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The upload path's plaintext CRC-64 (what the filter computes for {@code x-oss-hash-crc64ecma})
 * digested inline on the encrypting thread, or handed to the digest workers one segment per task
 * (as before 2026-12-03), or {@link SegmentDigests#DEFAULT_BATCH} segments per task: AES-256-GCM encryption of a 64 MiB
 * object read in 64 KiB reads (the sample app's), variants alternating round after round in one
 * JVM. Reports wall-clock MiB/s (what the request thread sees) and the process CPU per MiB (what
 * the machine pays, worker threads included): the hand-off to a worker costs CPU on both sides, and
 * on a box without an idle core only the CPU counts.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.servletsse.benchmarks.UploadDigestComparison [rounds [batches]]},
 * batches a comma-separated list of segments per task (default {@code 1,4}).
 */
public final class UploadDigestComparison {
    private UploadDigestComparison() {}

    record Variant(String name, int batch, boolean workers) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int objectBytes = 64 << 20;
        SecureRandom rnd = new SecureRandom();
        byte[] plaintext = new byte[objectBytes];
        rnd.nextBytes(plaintext);
        ObjectHeader header = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, ObjectHeader.DEFAULT_SEGMENT_SIZE,
                ObjectHeader.newSalt(rnd), new KeyEnvelope("bench", "bench@1", "none-bench", new byte[40]));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String batches = args.length > 1 ? args[1] : "1," + SegmentDigests.DEFAULT_BATCH;
        List<Variant> list = new ArrayList<>();
        list.add(new Variant("inline", SegmentDigests.DEFAULT_BATCH, false));
        for (String b : batches.split(",")) {
            list.add(new Variant("workers, " + b + " segment(s) per task", Integer.parseInt(b.strip()), true));
        }
        Variant[] variants = list.toArray(Variant[]::new);
        long[] wall = new long[variants.length];
        long[] cpu = new long[variants.length];
        long expected = Crc64.update(0, plaintext, 0, plaintext.length);
        System.out.println("JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        try (DataKey key = DataKey.generate(rnd); DigestWorkers workers = DigestWorkers.forAvailableProcessors()) {
            int warm = rounds / 4;
            byte[] sink = new byte[64 * 1024];
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < variants.length; v++) {
                    int i = (v + round) % variants.length; // the order rotates
                    Variant variant = variants[i];
                    Executor executor = variant.workers() ? workers : Runnable::run;
                    Crc64 crc = new Crc64();
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    SegmentDigests digests = new SegmentDigests(executor, variant.batch(), crc::update);
                    try (InputStream in = ObjectCrypto.encryptingStream(header, key, new ByteArrayInputStream(plaintext),
                            digests)) {
                        drain(in, sink);
                    }
                    long t1 = System.nanoTime();
                    long c1 = os.getProcessCpuTime();
                    if (crc.getValue() != expected) {
                        throw new IllegalStateException(variant.name() + ": wrong CRC-64");
                    }
                    if (round >= warm) {
                        wall[i] += t1 - t0;
                        cpu[i] += c1 - c0;
                    }
                }
            }
            double mib = (double) (rounds - warm) * objectBytes / (1 << 20);
            for (int i = 0; i < variants.length; i++) {
                System.out.printf("%-32s %8.1f MiB/s   %7.1f µs of CPU per MiB%n", variants[i].name(),
                        mib / (wall[i] / 1e9), cpu[i] / 1e3 / mib);
            }
        }
    }

    private static void drain(InputStream in, byte[] sink) throws IOException {
        while (in.read(sink, 0, sink.length) >= 0) {
            // the app would digest and write these bytes
        }
    }
}
