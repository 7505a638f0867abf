package io.servletsse.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that digest upload plaintext off the request threads ({@code format.SegmentDigests}):
 * a bounded pool shared by all uploads of one runtime, with no queue. A task that finds no idle
 * thread runs on the caller, exactly as it did before there were workers: under heavy concurrent
 * upload load the cores are busy anyway, so this never makes a request slower than inline
 * digesting, never queues work and never holds a lent plaintext buffer waiting for a thread.
 *
 * <p>Threads are daemons named {@code servlet-sse-digest-N}, started on demand, stopped after
 * {@link #IDLE_SECONDS} idle; {@link #close()} stops them and returns once every one has ended.
 */
public final class DigestWorkers implements Executor, AutoCloseable {
    /**
     * More digest threads than cores cannot digest faster, and a digest (about 2 GB/s CRC-64) is a
     * small share of an upload's work: beyond this, saturated work simply runs inline.
     */
    static final int MAX_THREADS = 8;
    static final int IDLE_SECONDS = 30;
    static final String THREAD_PREFIX = "servlet-sse-digest-";

    private final ThreadPoolExecutor pool;
    private final AtomicInteger names = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>(); // every thread started, pruned of ended ones; guarded by itself

    /** As many threads as this JVM has processors, at most {@link #MAX_THREADS}. */
    public static DigestWorkers forAvailableProcessors() {
        return new DigestWorkers(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS));
    }

    public DigestWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        // A SynchronousQueue hands a task only to a thread idle at that moment; with core == max
        // every other task is rejected, and execute() runs it inline.
        pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                this::newThread, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code task} on an idle worker, or on the caller if there is none (or after close). */
    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException saturatedOrClosed) {
            task.run();
        }
    }

    private Thread newThread(Runnable r) {
        Thread t = new Thread(r, THREAD_PREFIX + names.incrementAndGet());
        t.setDaemon(true); // never keeps a JVM (or the agent's host) alive
        // Not the creating request thread's loader: under the agent that would be a web app's,
        // kept reachable by a thread the app does not own.
        t.setContextClassLoader(DigestWorkers.class.getClassLoader());
        synchronized (threads) {
            threads.removeIf(x -> !x.isAlive());
            threads.add(t);
        }
        return t;
    }

    /** Stops the workers: running tasks finish (they are short), later ones run inline. */
    @Override
    public void close() {
        pool.shutdown();
        boolean interrupted = false;
        // Terminated = every worker, also one being started by a racing execute(), has left the
        // pool; joining them then means their threads have ended, not just their work.
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        for (Thread t : started) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
