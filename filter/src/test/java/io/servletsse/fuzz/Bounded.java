package io.servletsse.fuzz;

import java.lang.management.ManagementFactory;

/**
 * "No unbounded allocation", measured: the bytes the current thread allocates while a parser runs
 * on one input must stay under {@code fixed + perInputByte * inputLength}. A parser that sizes a
 * buffer from a length field it has not checked, or expands entities, blows through this long
 * before it runs out of heap. (HotSpot's per-thread allocation counter.)
 *
 * <p>The first run of a code path also pays for class loading and initialisation (megabytes, under
 * the fuzzer's instrumentation), so an input over budget is run once more and judged by that second
 * run: the parsers are deterministic, so only one-off costs differ between the two.
 */
public final class Bounded {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Bounded() {}

    /** Runs {@code body} (twice if the first run is over budget); fails if it allocated more than the budget. */
    public static long allocation(long fixed, long perInputByte, int inputLength, Runnable body) {
        long budget = fixed + perInputByte * inputLength;
        long used = measure(body);
        if (used > budget) {
            used = measure(body);
        }
        if (used > budget) {
            throw new AssertionError("allocated " + used + " bytes for a " + inputLength + "-byte input (budget "
                    + budget + ")");
        }
        return used;
    }

    private static long measure(Runnable body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
