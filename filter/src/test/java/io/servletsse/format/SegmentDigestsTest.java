package io.servletsse.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.Crc64;
import io.servletsse.crypto.DataKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plaintext digests taken segment by segment off the encrypting thread equal a straight digest
 * of the plaintext, the stream never touches a buffer a digest task still reads, and a one-segment
 * object never leaves the caller's thread.
 */
class SegmentDigestsTest {
    private static final int S = 1 << 16;

    private ExecutorService pool;
    private LateExecutor late;

    @BeforeEach
    void start() {
        pool = Executors.newSingleThreadExecutor();
        late = new LateExecutor(pool, Thread.currentThread());
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, S - 1, S, S + 1, 3 * S + 7, 4 * S, 4 * S + 1, 8 * S, 9 * S + 7})
    void digests_equalAStraightCrc64AndMd5_atSegmentAndBatchBoundaries(int length) throws IOException {
        byte[] plain = FormatTestSupport.random(length, length);
        for (int batch : new int[] {1, 2, 3, SegmentDigests.DEFAULT_BATCH}) {
            for (int seed = 0; seed < 2; seed++) {
                checkAgainstStraightDigests(plain, new AwkwardReads(plain, seed), late, batch, 2 * batch);
            }
        }
    }

    @Test
    void aStreamThatRefillsBuffersSoonerThanAsked_stillGetsTheRightDigests() throws IOException {
        // The stream is told 2 buffers, the digests batch 4: every release of a waiting segment's
        // buffer must digest it (and those before it) first.
        byte[] plain = FormatTestSupport.random(9 * S + 7, 13);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 3), late, 4, 2);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 4), pool, 4, 3);
    }

    @Test
    void digests_ofARandomMultiMebibyteBody_equalAStraightCrc64AndMd5() throws IOException {
        byte[] plain = FormatTestSupport.random(5 * 1024 * 1024 + 4099, 11);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 5), late);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 6), pool);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 7), pool, 1, 2);
    }

    @Test
    void inlineExecutor_givesTheSameDigests() throws IOException {
        byte[] plain = FormatTestSupport.random(3 * S + 7, 3);
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 1), Runnable::run);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, S - 1, S, 2 * S + 1, SegmentDigests.DEFAULT_BATCH * S})
    void objectOfAtMostABatchOfSegments_isDigestedOnTheCallerWithoutTheExecutor(int length) throws IOException {
        byte[] plain = FormatTestSupport.random(length, 9);
        AtomicInteger handedOff = new AtomicInteger();
        Executor counting = task -> {
            handedOff.incrementAndGet();
            task.run();
        };
        List<Thread> digestedOn = new CopyOnWriteArrayList<>();
        Crc64 crc = new Crc64();
        SegmentDigests digests = new SegmentDigests(counting, (b, off, len) -> {
            digestedOn.add(Thread.currentThread());
            crc.update(b, off, len);
        });
        encrypt(plain, new ByteArrayInputStream(plain), digests);
        assertThat(handedOff).hasValue(0);
        assertThat(digestedOn).containsOnly(Thread.currentThread()).hasSize(Math.max(1, (length + S - 1) / S));
        assertThat(crc.getValue()).isEqualTo(Crc64.update(0, plain, 0, plain.length));
    }

    @Test
    void largerObject_digestsEveryWholeBatchOnTheExecutor_theRestAndTheFinalSegmentOnTheCaller() throws IOException {
        int b = SegmentDigests.DEFAULT_BATCH;
        byte[] plain = FormatTestSupport.random(2 * b * S + S + 7, 4); // 2 batches, 1 more, the final one
        List<String> digestedOn = new CopyOnWriteArrayList<>();
        AtomicInteger tasks = new AtomicInteger();
        Executor counting = task -> {
            tasks.incrementAndGet();
            pool.execute(task);
        };
        SegmentDigests digests = new SegmentDigests(counting, (x, off, len) -> digestedOn.add(Thread.currentThread().getName()));
        encrypt(plain, new ByteArrayInputStream(plain), digests);
        String me = Thread.currentThread().getName();
        assertThat(tasks).hasValue(2);
        assertThat(digestedOn).hasSize(2 * b + 2);
        assertThat(digestedOn.subList(0, 2 * b)).doesNotContain(me);
        assertThat(digestedOn.subList(2 * b, 2 * b + 2)).containsOnly(me);
    }

    @Test
    void failingDigestTask_failsTheReaderWithItsOwnException_beforeTheFinalSegment() {
        int b = SegmentDigests.DEFAULT_BATCH;
        byte[] plain = FormatTestSupport.random(2 * b * S + S + 7, 8);
        IllegalStateException boom = new IllegalStateException("digest failed");
        AtomicInteger calls = new AtomicInteger();
        SegmentDigests digests = new SegmentDigests(pool, (x, off, len) -> {
            if (calls.incrementAndGet() == 2) {
                throw boom; // on the worker: the second segment, in the first batch
            }
        });
        ObjectHeader h = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, S);
        DataKey k = FormatTestSupport.newKey();
        FormatTestSupport.Outcome out = FormatTestSupport.drain(
                ObjectCrypto.encryptingStream(h, k, new ByteArrayInputStream(plain), digests), 8192);
        assertThat(out.failure()).isSameAs(boom);
        // Reported when the second batch is complete and would be handed off: its last segment and
        // everything after it, the final segment too, are never sealed.
        assertThat(out.released()).hasSize(h.length() + (2 * b - 1) * (S + 16));
    }

    @Test
    void rejectedTask_runsOnTheCaller() throws IOException {
        byte[] plain = FormatTestSupport.random(2 * SegmentDigests.DEFAULT_BATCH * S + 1, 12);
        AtomicInteger refused = new AtomicInteger();
        Executor rejecting = task -> {
            refused.incrementAndGet();
            throw new java.util.concurrent.RejectedExecutionException("full");
        };
        checkAgainstStraightDigests(plain, new AwkwardReads(plain, 2), rejecting);
        assertThat(refused).hasValue(2);
    }

    @Test
    void digestFailingOnAnEarlyRefilledBuffer_failsTheReader_beforeTheFinalSegment() {
        // Told 2 buffers, batching 4: the failing update runs inline, from release(); it must
        // still be reported, and the object never handed out complete.
        byte[] plain = FormatTestSupport.random(9 * S + 7, 14);
        IllegalStateException boom = new IllegalStateException("digest failed");
        AtomicInteger calls = new AtomicInteger();
        SegmentDigests digests = new SegmentDigests(pool, 4, (b, off, len) -> {
            if (calls.incrementAndGet() == 2) {
                throw boom;
            }
        });
        ContractCheck check = new ContractCheck(digests, 2);
        ObjectHeader h = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, S);
        DataKey k = FormatTestSupport.newKey();
        FormatTestSupport.Outcome out = FormatTestSupport.drain(
                ObjectCrypto.encryptingStream(h, k, new ByteArrayInputStream(plain), check), 8192);
        assertThat(out.failure()).isSameAs(boom);
        assertThat(out.released().length).isLessThan((int) h.ciphertextLength(plain.length));
        assertThat(calls).hasValue(2); // nothing digested after the failure
    }

    @Test
    void plainEnvelope_refusesAnObserver() {
        ObjectHeader h = ObjectHeader.plainEnvelope();
        assertThatThrownBy(() -> ObjectCrypto.encryptingStream(h, null, new ByteArrayInputStream(new byte[1]),
                new SegmentDigests(Runnable::run))).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Encrypts {@code plain} read from {@code source} with a CRC-64 and an MD5 taken by
     * {@link SegmentDigests} on {@code executor}, checking the buffer contract on the way: the source
     * is never asked to fill a buffer that is lent to the observer, and nothing stays lent at the end.
     */
    private static void checkAgainstStraightDigests(byte[] plain, InputStream source, Executor executor)
            throws IOException {
        checkAgainstStraightDigests(plain, source, executor, SegmentDigests.DEFAULT_BATCH, 2 * SegmentDigests.DEFAULT_BATCH);
    }

    /** As above, {@code batch} segments per task, the stream told to keep {@code buffers} in turn. */
    private static void checkAgainstStraightDigests(byte[] plain, InputStream source, Executor executor, int batch,
            int buffers) throws IOException {
        Crc64 crc = new Crc64();
        MessageDigest md5 = md5();
        ContractCheck check = new ContractCheck(new SegmentDigests(executor, batch, crc::update, md5::update), buffers);
        encrypt(plain, check.source(source), check);
        assertThat(check.lent).as("buffers still lent after close").isEmpty();
        assertThat(check.violations).isEmpty();
        assertThat(crc.getValue()).isEqualTo(Crc64.update(0, plain, 0, plain.length));
        assertThat(md5.digest()).isEqualTo(md5().digest(plain));
    }

    /** Encrypts through {@code observer}, reading in odd sizes, and checks the object decrypts to {@code plain}. */
    private static void encrypt(byte[] plain, InputStream source, PlaintextObserver observer) throws IOException {
        ObjectHeader h = FormatTestSupport.header(ContentAlgorithm.AES_256_GCM, S);
        DataKey k = FormatTestSupport.newKey();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (InputStream enc = ObjectCrypto.encryptingStream(h, k, source, observer)) {
            byte[] buf = new byte[7919];
            for (int n; (n = enc.read(buf, 0, buf.length)) >= 0; ) {
                stored.write(buf, 0, n);
            }
        }
        byte[] object = stored.toByteArray();
        assertThat(object).hasSize((int) h.ciphertextLength(plain.length));
        ByteArrayInputStream in = new ByteArrayInputStream(object);
        ObjectHeader parsed = ObjectHeader.read(in);
        try (ObjectCrypto.Decryptor d = ObjectCrypto.openForDecryption(parsed, k);
                InputStream dec = d.decryptingStream(in, object.length)) {
            assertThat(dec.readAllBytes()).isEqualTo(plain);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads of 1 byte to a bit more than a segment, at random: never whole segments. */
    private static final class AwkwardReads extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        AwkwardReads(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == data.length) {
                return -1;
            }
            int[] sizes = {1, 7, 4093, 16 * 1024 + 1, S + 13, random.nextInt(S) + 1};
            int n = Math.min(Math.min(len, sizes[random.nextInt(sizes.length)]), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /**
     * The observer side of the buffer contract, checked around the real observer: a buffer is lent
     * from {@code segment} until {@code release}, and the source must never write into a lent one.
     */
    private static final class ContractCheck implements PlaintextObserver {
        final PlaintextObserver delegate;
        final int buffers;
        final Set<byte[]> lent = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final List<String> violations = new CopyOnWriteArrayList<>();

        ContractCheck(PlaintextObserver delegate, int buffers) {
            this.delegate = delegate;
            this.buffers = buffers;
        }

        @Override
        public int buffers() {
            return buffers;
        }

        @Override
        public void segment(byte[] buf, int length, boolean last) throws IOException {
            if (!lent.add(buf) && !last) {
                violations.add("buffer lent twice without a release");
            }
            delegate.segment(buf, length, last);
        }

        @Override
        public void release(byte[] buf) {
            delegate.release(buf);
            lent.remove(buf);
        }

        InputStream source(InputStream in) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (lent.contains(b)) {
                        violations.add("source asked to fill a lent buffer");
                    }
                    return in.read(b, off, len);
                }
            };
        }
    }

    /**
     * Runs each task as late as it can possibly run: on the pool's thread, but only once the
     * encrypting thread has stopped (parked waiting for it). A stream that reused a buffer without
     * waiting would overwrite the segment before its digest even started.
     */
    private record LateExecutor(Executor pool, Thread encrypting) implements Executor {
        @Override
        public void execute(Runnable task) {
            pool.execute(() -> {
                while (encrypting.getState() == Thread.State.RUNNABLE) {
                    Thread.onSpinWait();
                }
                task.run();
            });
        }
    }
}
