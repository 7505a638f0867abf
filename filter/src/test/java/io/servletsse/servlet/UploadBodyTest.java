package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.Crc64;
import io.servletsse.crypto.DataKey;
import io.servletsse.engine.DigestWorkers;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.SegmentDigests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Checksum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upload body as the encryptor's observer, on the runtime's digest workers: the CRC-64 the
 * response carries and the Content-MD5 check are those of the plaintext, and a wrong Content-MD5
 * fails the app's read before the final segment is sealed, as when the digests ran inline.
 */
class UploadBodyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int S = 1 << 16;
    private final DigestWorkers workers = new DigestWorkers(2);

    @AfterEach
    void close() {
        workers.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, S - 1, S, S + 1, 3 * S + 7, 4 * 1024 * 1024 + 3})
    void rightContentMd5_completesWithThePlaintextCrc64(int length) throws IOException {
        byte[] plain = random(length);
        Upload up = upload(plain, md5(plain), new Crc64(), workers);
        assertThat(up.failure).isNull();
        assertThat(up.completions).containsExactly(Long.toUnsignedString(Crc64.update(0, plain, 0, plain.length)));
        assertThat(up.body.complete()).isTrue();
        assertThat(up.body.digestMismatch()).isFalse();
        assertThat(up.released).hasSize((int) up.header.ciphertextLength(length));
    }

    @ParameterizedTest
    @ValueSource(ints = {S + 1, 2 * S, 3 * S + 7})
    void wrongContentMd5_onAMultiSegmentBody_failsTheReadBeforeTheFinalSegment(int length) throws IOException {
        byte[] plain = random(length);
        Upload up = upload(plain, md5("other".getBytes()), new Crc64(), workers);
        assertThat(up.failure).isInstanceOf(UploadBody.DigestMismatchException.class);
        assertThat(up.body.digestMismatch()).isTrue();
        assertThat(up.body.complete()).isFalse();
        assertThat(up.completions).isEmpty();
        long segments = up.header.segmentCount(length);
        // Everything but the final segment, which was never sealed.
        assertThat(up.released).hasSize(up.header.length() + (int) (segments - 1) * (S + 16));
    }

    @Test
    void wrongContentMd5_anAppReadingOnAfterTheFailure_stillGetsNoFinalSegment() throws IOException {
        byte[] plain = random(3 * S + 7);
        ObjectHeader header = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, S, ObjectHeader.newSalt(RANDOM),
                new KeyEnvelope("sse-oss", "AES256@1", "test-wrap", new byte[] {1, 2, 3}));
        DataKey key = DataKey.generate(RANDOM);
        // The MD5 of nothing: what a retried check over no more bytes would compute, and accept.
        UploadBody body = new UploadBody(new OddReads(plain), md5Digest(), md5(new byte[0]), new Crc64(), workers,
                SegmentDigests.DEFAULT_BATCH);
        List<String> completions = new CopyOnWriteArrayList<>();
        body.onComplete(() -> completions.add("complete"));
        long got = 0;
        int failures = 0;
        try (InputStream enc = ObjectCrypto.encryptingStream(header, key, body, body)) {
            byte[] buf = new byte[64 * 1024];
            for (int attempt = 0; attempt < 50; attempt++) { // reads on, as a careless app would
                try {
                    int n = enc.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                } catch (IOException e) {
                    failures++;
                }
            }
        } finally {
            key.destroy();
        }
        assertThat(failures).as("every read after the refusal fails").isEqualTo(50 - 7);
        assertThat(got).isEqualTo(header.length() + 3L * (S + 16));
        assertThat(completions).isEmpty();
        assertThat(body.complete()).isFalse();
    }

    @Test
    void failingCrcOnAWorker_failsTheAppsReadWithTheSameException() throws IOException {
        byte[] plain = random(9 * S + 7); // more than a batch of segments: some are digested on a worker
        IllegalStateException boom = new IllegalStateException("checksum failed");
        Checksum failing = new ForwardingChecksum(new Crc64()) {
            @Override
            public void update(byte[] b, int off, int len) {
                if (Thread.currentThread().getName().startsWith("servlet-sse-digest-")) {
                    throw boom;
                }
                super.update(b, off, len);
            }
        };
        Upload up = upload(plain, md5(plain), failing, workers);
        assertThat(up.failure).isSameAs(boom);
        assertThat(up.completions).isEmpty();
        assertThat(up.released.length).isLessThan((int) up.header.ciphertextLength(plain.length));
    }

    @Test
    void saturatedWorkers_digestInlineWithTheSameResult() throws Exception {
        byte[] plain = random(9 * S + 7);
        try (DigestWorkers one = new DigestWorkers(1)) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            one.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            List<Thread> digestedOn = new CopyOnWriteArrayList<>();
            Checksum recording = new ForwardingChecksum(new Crc64()) {
                @Override
                public void update(byte[] b, int off, int len) {
                    digestedOn.add(Thread.currentThread());
                    super.update(b, off, len);
                }
            };
            Upload up = upload(plain, md5(plain), recording, one);
            release.countDown();
            assertThat(up.failure).isNull();
            assertThat(digestedOn).hasSize(10).containsOnly(Thread.currentThread());
            assertThat(up.completions).containsExactly(Long.toUnsignedString(Crc64.update(0, plain, 0, plain.length)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4096, S, SegmentDigests.DEFAULT_BATCH * S})
    void bodyOfAtMostABatchOfSegments_neverUsesTheWorkers(int length) throws IOException {
        byte[] plain = random(length);
        AtomicInteger handedOff = new AtomicInteger();
        Executor counting = task -> {
            handedOff.incrementAndGet();
            workers.execute(task);
        };
        Upload up = upload(plain, md5(plain), new Crc64(), counting);
        assertThat(up.failure).isNull();
        assertThat(handedOff).hasValue(0);
        assertThat(up.completions).hasSize(1);
    }

    /** What an app reading the encrypted upload got. */
    private record Upload(UploadBody body, ObjectHeader header, byte[] released, Exception failure,
            List<String> completions) {}

    /** Wires the body as Exchange does and reads the encrypted stream as an app would, in 64 KiB reads. */
    private static Upload upload(byte[] plain, byte[] expectedMd5, Checksum crc, Executor executor) throws IOException {
        ObjectHeader header = ObjectHeader.create(ContentAlgorithm.AES_256_GCM, S, ObjectHeader.newSalt(RANDOM),
                new KeyEnvelope("sse-oss", "AES256@1", "test-wrap", new byte[] {1, 2, 3}));
        DataKey key = DataKey.generate(RANDOM);
        UploadBody body = new UploadBody(new OddReads(plain), md5Digest(), expectedMd5, crc, executor, SegmentDigests.DEFAULT_BATCH);
        List<String> completions = new CopyOnWriteArrayList<>();
        body.onComplete(() -> completions.add(Long.toUnsignedString(crc.getValue())));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (InputStream enc = ObjectCrypto.encryptingStream(header, key, body, body)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = enc.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            failure.set(e); // what the app's read threw
        } finally {
            key.destroy();
        }
        return new Upload(body, header, got.toByteArray(), failure.get(), completions);
    }

    private static byte[] random(int length) {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return b;
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] md5(byte[] b) {
        return md5Digest().digest(b);
    }

    /** A servlet input stream's reads: whatever arrived, never a whole segment. */
    private static final class OddReads extends ByteArrayInputStream {
        private final Random random = new Random(3);

        OddReads(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(20_000)));
        }
    }

    /** A real CRC-64 with one behaviour changed by the test. */
    private static class ForwardingChecksum implements Checksum {
        private final Checksum delegate;

        ForwardingChecksum(Checksum delegate) {
            this.delegate = delegate;
        }

        @Override
        public void update(int b) {
            delegate.update(b);
        }

        @Override
        public void update(byte[] b, int off, int len) {
            delegate.update(b, off, len);
        }

        @Override
        public long getValue() {
            return delegate.getValue();
        }

        @Override
        public void reset() {
            delegate.reset();
        }
    }
}
