package io.servletsse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class AsyncAuditSinkTest {
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyLineFromManyThreads_isWrittenOnce_inEachThreadsOrder_byClose() throws Exception {
        AsyncAuditSink sink = new AsyncAuditSink(written::add, 64); // small queue: writers wait for room
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    sink.write(id + ":" + i);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        sink.close();
        assertThat(written).hasSize(8 * 2000);
        for (int t = 0; t < threads.length; t++) {
            String prefix = t + ":";
            List<String> mine = written.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(mine).hasSize(2000);
            for (int i = 0; i < mine.size(); i++) {
                assertThat(mine.get(i)).isEqualTo(prefix + i);
            }
        }
    }

    @Test
    void aFullQueue_makesTheWriterWait_andLosesNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AsyncAuditSink sink = new AsyncAuditSink(line -> {
            awaitQuietly(gate); // the backend is stuck
            written.add(line);
        }, 2);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                sink.write("line " + i); // one in the backend, two queued, the fourth waits
            }
        });
        writer.start();
        while (writer.getState() != Thread.State.WAITING && writer.isAlive()) {
            Thread.onSpinWait();
        }
        assertThat(writer.isAlive()).as("the writer waits for room instead of dropping").isTrue();
        assertThat(written).isEmpty();
        gate.countDown();
        writer.join();
        sink.close();
        assertThat(written).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void afterClose_linesAreWrittenOnTheCallersThread_andTheBackgroundThreadIsGone() {
        long before = auditThreads();
        List<Thread> writers = Collections.synchronizedList(new ArrayList<>());
        AsyncAuditSink sink = new AsyncAuditSink(line -> {
            writers.add(Thread.currentThread());
            written.add(line);
        }, 16);
        sink.write("queued");
        sink.close();
        sink.close(); // idempotent
        sink.write("late");
        assertThat(written).containsExactly("queued", "late");
        assertThat(writers.get(0).getName()).isEqualTo("servlet-sse-audit");
        assertThat(writers.get(1)).isSameAs(Thread.currentThread());
        assertThat(auditThreads()).isEqualTo(before);
    }

    @Test
    void aFailingBackend_losesOnlyThatLine() {
        AsyncAuditSink sink = new AsyncAuditSink(line -> {
            if (line.equals("bad")) {
                throw new IllegalStateException("disk full");
            }
            written.add(line);
        }, 16);
        sink.write("a");
        sink.write("bad");
        sink.write("b");
        sink.close();
        assertThat(written).containsExactly("a", "b");
    }

    @Test
    void flush_returnsOnceEveryEarlierLineIsWritten() {
        AsyncAuditSink sink = new AsyncAuditSink(written::add, 16);
        for (int i = 0; i < 100; i++) {
            sink.write("l" + i);
        }
        AsyncAuditSink.flushAll();
        assertThat(written).hasSize(100).startsWith("l0").endsWith("l99");
        sink.close();
        sink.flush(); // closed: returns at once
    }

    @Test
    void aLineAfterTheWriterWentIdle_wakesIt() throws Exception {
        AsyncAuditSink sink = new AsyncAuditSink(written::add, 16);
        sink.write("busy");
        sink.flush();
        Thread writer = sink.writerThread();
        // Past its lingers the writer blocks on the queue (WAITING, not TIMED_WAITING): only a new line wakes it.
        while (!(writer.getState() == Thread.State.WAITING
                && Arrays.stream(writer.getStackTrace()).anyMatch(f -> f.getMethodName().equals("take")))) {
            Thread.sleep(5);
        }
        sink.write("after idle");
        sink.flush();
        assertThat(written).containsExactly("busy", "after idle");
        sink.close();
    }

    private static long auditThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("servlet-sse-audit") && t.isAlive()).count();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
