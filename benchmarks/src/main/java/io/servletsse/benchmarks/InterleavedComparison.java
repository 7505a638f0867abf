package io.servletsse.benchmarks;

/**
 * A companion to {@link CryptoEngineBenchmark} for a shared, noisy machine: runs engine and raw
 * cipher alternately, round after round, in one JVM, so that load from other processes hits both
 * sides alike, and reports each side's throughput and the engine/raw ratio.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.servletsse.benchmarks.InterleavedComparison [rounds]}
 */
public final class InterleavedComparison {
    private InterleavedComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        System.out.println("JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        for (String alg : new String[] {"AES_256_GCM", "SM4_GCM"}) {
            CryptoEngineBenchmark b = new CryptoEngineBenchmark();
            b.algorithm = alg;
            b.setUp();
            int reps = alg.equals("AES_256_GCM") ? 4 : 1;
            int r = alg.equals("AES_256_GCM") ? rounds : Math.max(6, rounds / 6);
            long[] nanos = new long[5];
            int warm = r / 4;
            for (int round = 0; round < r; round++) {
                for (int m = 0; m < 5; m++) {
                    long t0 = System.nanoTime();
                    for (int k = 0; k < reps; k++) {
                        switch (m) {
                            case 0 -> b.encryptEngine();
                            case 1 -> b.encryptRaw();
                            case 2 -> b.decryptEngine();
                            case 3 -> b.decryptRaw();
                            default -> b.encryptEngineNoCopySource();
                        }
                    }
                    if (round >= warm) {
                        nanos[m] += System.nanoTime() - t0;
                    }
                }
            }
            double mib = (double) (r - warm) * reps * b.objectBytes / (1 << 20);
            double[] rate = new double[5];
            for (int m = 0; m < 5; m++) {
                rate[m] = mib / (nanos[m] / 1e9);
            }
            System.out.printf("%-12s encrypt engine %8.1f MiB/s  raw %8.1f MiB/s  ratio %.2f%n", alg, rate[0], rate[1],
                    rate[0] / rate[1]);
            System.out.printf("%-12s encrypt engine, no-copy source %8.1f MiB/s  ratio %.2f%n", alg, rate[4],
                    rate[4] / rate[1]);
            System.out.printf("%-12s decrypt engine %8.1f MiB/s  raw %8.1f MiB/s  ratio %.2f%n", alg, rate[2], rate[3],
                    rate[2] / rate[3]);
        }
    }
}
