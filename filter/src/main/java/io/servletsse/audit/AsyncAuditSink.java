package io.servletsse.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands audit lines to one background thread that writes them, in order, to another sink (the
 * SLF4J logger). Measured on the sample app: a line written on the request thread held every
 * download behind the logging backend's lock (slf4j-simple writes each line to stderr under one
 * global lock; JFR saw thousands of waits over 10 ms), which was most of the p99 the filter added
 * to small downloads (docs/BENCHMARKS.md).
 *
 * <p>The writer works in batches: while lines keep coming it sleeps {@link #LINGER_NANOS} between
 * batches instead of waiting on the queue, so a request hands its line over without waking it (a
 * futex wake and two context switches per line were ~4 µs of the request thread and most of the
 * writer's own CPU at 12 000 downloads/s). The sleep itself is not free: a timed park costs the
 * writer 12–30 µs of CPU on a 2-vCPU VM (a timer armed and fired); with 2 ms lingers that was
 * 1.3 µs per line at 11 000 lines/s (async-profiler); 10 ms lingers are a fifth of the parks.
 * Only after {@link #IDLE_LINGERS} empty looks does it block on the queue, where the next line
 * wakes it. A line therefore reaches the backend at most about 10 ms after its request.
 *
 * <p>Nothing is dropped: when {@code capacity} lines are waiting, a request waits for room
 * (back-pressure, not loss). {@link #close()} writes every line already handed in before it
 * returns, and closes the target if it is {@link AutoCloseable} (the audit file); lines handed in
 * after it are written on the caller's thread. What is lost is what a
 * hard kill of the JVM finds still queued, as with any buffered log appender.
 */
public final class AsyncAuditSink implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncAuditSink.class);
    /** Default queue length: a few seconds of a busy node's downloads. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Pause between batches while lines keep coming. */
    static final long LINGER_NANOS = 10_000_000;
    /** Empty looks in a row after which the writer blocks until the next line (~0.1 s idle). */
    static final int IDLE_LINGERS = 10;
    /** Most lines taken off the queue at once. */
    private static final int BATCH = 512;

    private final AuditSink target;
    /** Every sink not yet closed, for {@link #flushAll()}. */
    private static final Set<AsyncAuditSink> OPEN = ConcurrentHashMap.newKeySet();

    private final BlockingQueue<Object> queue; // lines (String) and flush markers
    private final Thread writer;
    /** Writers hold it shared while they enqueue; close() holds it exclusively, so no line slips past the end. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object end = new Object();
    private volatile boolean closed;

    public AsyncAuditSink(AuditSink target, int capacity) {
        this.target = Objects.requireNonNull(target, "target");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.queue = new LinkedBlockingQueue<>(capacity); // separate locks for the producers and the writer
        this.writer = new Thread(this::drain, "servlet-sse-audit");
        writer.setDaemon(true);
        writer.start();
        OPEN.add(this);
    }

    /**
     * Returns once every line handed in before the call has been written to the backend (or at
     * once after {@link #close()}). For tests and diagnostics that read the backend's output.
     */
    public void flush() {
        CountDownLatch written = new CountDownLatch(1);
        lock.readLock().lock();
        try {
            if (closed) {
                return;
            }
            queue.put(written);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.readLock().unlock();
        }
        LockSupport.unpark(writer); // do not wait out its linger
        try {
            written.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #flush()} of every open sink in this JVM: for tests that read the audit logger's output. */
    public static void flushAll() {
        OPEN.forEach(AsyncAuditSink::flush);
    }

    @Override
    public void write(String jsonLine) {
        Objects.requireNonNull(jsonLine, "jsonLine");
        lock.readLock().lock();
        try {
            if (!closed) {
                if (!queue.offer(jsonLine)) {
                    queue.put(jsonLine); // full: wait for room
                }
                return;
            }
        } catch (InterruptedException e) {
            // Interrupted while waiting for room: the line is written here rather than lost.
            Thread.currentThread().interrupt();
        } finally {
            lock.readLock().unlock();
        }
        target.write(jsonLine);
    }

    /** The background writer (tests watch its state). */
    Thread writerThread() {
        return writer;
    }

    /** Writes what is queued, then stops the background thread. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            OPEN.remove(this);
            boolean interrupted = false;
            for (;;) {
                try {
                    queue.put(end);
                    LockSupport.unpark(writer);
                    writer.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish the hand-over anyway: queued lines must be written
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (target instanceof AutoCloseable closeable) { // a file: its last lines are written by now
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.error("servlet-sse: the audit sink did not close cleanly: {}", e.toString());
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void batchDone() {
        try {
            target.endOfBatch();
        } catch (RuntimeException e) {
            LOG.error("servlet-sse: audit lines could not be written: {}", e.toString());
        }
    }

    private void drain() {
        List<Object> batch = new ArrayList<>(BATCH);
        int idle = 0;
        for (;;) {
            if (queue.drainTo(batch, BATCH) == 0) {
                if (idle < IDLE_LINGERS) {
                    idle++;
                    LockSupport.parkNanos(LINGER_NANOS);
                    Thread.interrupted(); // only close() ends this thread; an interrupt must not make it spin
                    continue;
                }
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    continue;
                }
            }
            idle = 0;
            for (Object item : batch) {
                if (item == end) {
                    batchDone();
                    return; // close() holds the lock: nothing was queued after it
                }
                if (item instanceof CountDownLatch flushed) {
                    batchDone(); // written before flush() returns
                    flushed.countDown();
                } else {
                    try {
                        target.write((String) item);
                    } catch (RuntimeException e) {
                        LOG.error("servlet-sse: an audit line could not be written: {}", e.toString());
                    }
                }
            }
            batchDone();
            batch.clear();
        }
    }
}
