package io.servletsse.format;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Digests of an object's plaintext (CRC-64, MD5, SHA-256: anything fed in order) taken off the
 * thread that encrypts it. Segments but the final one are digested in batches of {@code batch}
 * by a task on {@code executor} while the encrypting stream seals the next ones and its reader
 * (the app) consumes the sealed bytes; what is left of the last batch and the final segment are
 * digested on the caller once the previous task has finished, so when
 * {@code segment(.., last = true)} returns the digests are complete and can be checked before that
 * segment is sealed.
 *
 * <p>Why batches: handing a task to an idle worker wakes it (a futex call on each side), and per
 * 64 KiB segment that cost about as much CPU as the CRC-64 it moved off the request thread
 * (async-profiler, 1 GiB PUT, docs/BENCHMARKS.md item 13); {@value #DEFAULT_BATCH} segments per task
 * wake it a quarter as often. The stream keeps {@code 2 · batch} buffers in turn ({@link #buffers()}), so it
 * fills and seals one batch while the task reads the previous one: no copy.
 *
 * <p>At most one task is in flight: the digests see the segments one after another, in order, with
 * no lock (the task's completion is the hand-back). An object of at most {@code batch} segments,
 * most uploads, is digested inline: no task, no thread hand-off. A task the executor rejects runs
 * inline.
 *
 * <p>Not thread-safe: one encrypting stream drives it. Read the digests only after the final
 * segment has been observed.
 */
public final class SegmentDigests implements PlaintextObserver {
    /**
     * Plaintext per task: what a wake-up is amortised over. Counted in bytes, not segments, so that
     * the buffers a large upload holds ({@code 2 · batch} segments, 512 KiB) do not grow with the
     * configured segment size (up to 4 MiB: then one segment per task and 2 buffers, as before).
     */
    public static final int TASK_BYTES = 256 * 1024;
    /** Segments per task at the default segment size: 4 × 64 KiB. */
    public static final int DEFAULT_BATCH = TASK_BYTES / ObjectHeader.DEFAULT_SEGMENT_SIZE;

    /** Segments per task for objects of this segment size: {@link #TASK_BYTES} of them, at least 1. */
    public static int batchFor(int segmentSize) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segment size must be positive: " + segmentSize);
        }
        return Math.max(1, TASK_BYTES / segmentSize);
    }

    /** One digest's update, e.g. {@code Checksum::update} or {@code MessageDigest::update}. */
    @FunctionalInterface
    public interface Update {
        void update(byte[] b, int off, int len);
    }

    private final Executor executor;
    private final Update[] updates;
    private final int batch;
    private final byte[][] waiting;      // segments observed, not yet handed to a task
    private final int[] waitingLengths;
    private int waitingCount;
    private FutureTask<Void> pending;    // the in-flight task; kept after it failed, to report it again
    private byte[][] pendingBufs;        // the buffers it reads

    public SegmentDigests(Executor executor, Update... updates) {
        this(executor, DEFAULT_BATCH, updates);
    }

    public SegmentDigests(Executor executor, int batch, Update... updates) {
        this.executor = Objects.requireNonNull(executor, "executor");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1: " + batch);
        }
        this.batch = batch;
        this.waiting = new byte[batch][];
        this.waitingLengths = new int[batch];
        this.updates = updates.clone();
        for (Update u : this.updates) {
            Objects.requireNonNull(u, "update");
        }
    }

    @Override
    public int buffers() {
        return 2 * batch;
    }

    @Override
    public void segment(byte[] buf, int length, boolean last) throws IOException {
        Objects.checkFromIndexSize(0, length, buf.length);
        if (last) {
            awaitPending();
            if (waitingCount > 0) {
                handOff(Runnable::run);
                awaitPending();
            }
            digest(buf, length);
            return;
        }
        waiting[waitingCount] = buf;
        waitingLengths[waitingCount++] = length;
        if (waitingCount == batch) {
            awaitPending();
            handOff(executor);
        }
    }

    /**
     * A buffer of the task in flight: waits for it. A buffer not yet handed to a task (a stream that
     * reuses buffers sooner than {@link #buffers()} said, or one closed early): the segments waiting
     * are digested now, after the task in flight, so the digests never see a refilled buffer.
     */
    @Override
    public void release(byte[] buf) {
        if (pending != null && contains(pendingBufs, buf)) {
            waitFor(pending);
        }
        if (contains(waiting, buf)) { // slots past waitingCount are null
            waitFor(pending);
            if (pending == null || succeeded(pending)) {
                handOff(Runnable::run); // a failure is reported by the next segment, as a task's is
            } else {
                clearWaiting(); // the next segment reports the earlier failure; nothing more to digest
            }
        }
    }

    /** The segments waiting become the task in flight, run by {@code on} (or here, if it refuses). */
    private void handOff(Executor on) {
        byte[][] bufs = Arrays.copyOf(waiting, waitingCount);
        int[] lengths = Arrays.copyOf(waitingLengths, waitingCount);
        clearWaiting();
        FutureTask<Void> task = new FutureTask<>(() -> {
            for (int i = 0; i < bufs.length; i++) {
                digest(bufs[i], lengths[i]);
            }
        }, null);
        pending = task;
        pendingBufs = bufs;
        try {
            on.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // never left unrun: release() would wait for it forever
        }
    }

    private static boolean contains(byte[][] bufs, byte[] buf) {
        for (byte[] b : bufs) {
            if (b == buf) {
                return true;
            }
        }
        return false;
    }

    private static boolean succeeded(FutureTask<Void> done) {
        try {
            done.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            throw new AssertionError("the task is done", e);
        }
    }

    private void clearWaiting() {
        Arrays.fill(waiting, null);
        waitingCount = 0;
    }

    private void digest(byte[] buf, int length) {
        for (Update u : updates) {
            u.update(buf, 0, length);
        }
    }

    /** Waits for the in-flight task and throws what it threw, as if it had run on this thread. */
    private void awaitPending() throws IOException {
        if (pending == null) {
            return;
        }
        waitFor(pending);
        try {
            pending.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException("digest of the plaintext failed", cause);
        } catch (InterruptedException e) {
            throw new AssertionError("the task is done", e);
        }
        pending = null;
        pendingBufs = null;
    }

    /**
     * Until {@code task} (if any) is done, ignoring interrupts (restored afterwards): the task reads
     * lent buffers, which must not be reused or wiped before it is done; it is CPU work on at most
     * one batch of segments, it always ends.
     */
    private static void waitFor(FutureTask<Void> task) {
        if (task == null) {
            return;
        }
        boolean interrupted = false;
        while (!task.isDone()) {
            try {
                task.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // done; reported by awaitPending
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
