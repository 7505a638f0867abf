package io.servletsse.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what one fuzz target saw (inputs run, accepted, refused with a clean error, largest
 * allocation per input) and writes it to {@code target/fuzz-stats/<target>-<mode>.txt} when the
 * class finishes: the figures in docs/RELIABILITY.md come from these files.
 */
public final class FuzzStats {
    private final String target;
    private final AtomicLong inputs = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong maxAllocation = new AtomicLong();
    private final long started = System.nanoTime();

    public FuzzStats(String target) {
        this.target = target;
    }

    public void accepted(long allocated) {
        inputs.incrementAndGet();
        accepted.incrementAndGet();
        maxAllocation.accumulateAndGet(allocated, Math::max);
    }

    public void refused(long allocated) {
        inputs.incrementAndGet();
        refused.incrementAndGet();
        maxAllocation.accumulateAndGet(allocated, Math::max);
    }

    /** Whether Jazzer is fuzzing (JAZZER_FUZZ set) rather than replaying the seed corpus. */
    public static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && !v.isEmpty();
    }

    public void write() {
        String mode = fuzzing() ? "fuzz" : "regression";
        String line = String.format("target=%s mode=%s inputs=%d accepted=%d refused=%d maxAllocatedBytes=%d seconds=%d%n",
                target, mode, inputs.get(), accepted.get(), refused.get(), maxAllocation.get(),
                (System.nanoTime() - started) / 1_000_000_000L);
        System.out.print("fuzz-stats: " + line);
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fuzz-stats");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(target + "-" + mode + ".txt"), line, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
