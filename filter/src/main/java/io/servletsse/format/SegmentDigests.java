package io.servletsse.format;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Digests of an object's plaintext (CRC-64, MD5, SHA-256: anything fed in order) taken off the
 * thread that encrypts it. Each segment but the final one is digested by a task on
 * {@code executor} while the encrypting stream seals it and its reader (the app) consumes the
 * sealed bytes; the final segment is digested on the caller once the previous task has finished, so when
 * {@code segment(.., last = true)} returns the digests are complete and can be checked before that
 * segment is sealed.
 *
 * <p>At most one task is in flight: the digests see the segments one after another, in order, with
 * no lock (the task's completion is the hand-back), and the stream's two lent buffers suffice (no
 * copy, no extra buffer). A one-segment object, most uploads, is digested inline: no task, no
 * thread hand-off. A task the executor rejects runs inline.
 *
 * <p>Not thread-safe: one encrypting stream drives it. Read the digests only after the final
 * segment has been observed.
 */
public final class SegmentDigests implements PlaintextObserver {
    /** One digest's update, e.g. {@code Checksum::update} or {@code MessageDigest::update}. */
    @FunctionalInterface
    public interface Update {
        void update(byte[] b, int off, int len);
    }

    private final Executor executor;
    private final Update[] updates;
    private FutureTask<Void> pending; // the in-flight task; kept after it failed, to report it again
    private byte[] pendingBuf;        // the buffer it reads

    public SegmentDigests(Executor executor, Update... updates) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.updates = updates.clone();
        for (Update u : this.updates) {
            Objects.requireNonNull(u, "update");
        }
    }

    @Override
    public void segment(byte[] buf, int length, boolean last) throws IOException {
        Objects.checkFromIndexSize(0, length, buf.length);
        awaitPending();
        if (last) {
            digest(buf, length);
            return;
        }
        FutureTask<Void> task = new FutureTask<>(() -> digest(buf, length), null);
        pending = task;
        pendingBuf = buf;
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // never left unrun: release() would wait for it forever
        }
    }

    @Override
    public void release(byte[] buf) {
        if (pending != null && pendingBuf == buf) {
            waitFor(pending);
        }
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
        pendingBuf = null;
    }

    /**
     * Until {@code task} is done, ignoring interrupts (restored afterwards): the task reads a lent
     * buffer, which must not be reused or wiped before it is done; it is CPU work on at most one
     * segment, it always ends.
     */
    private static void waitFor(FutureTask<Void> task) {
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
