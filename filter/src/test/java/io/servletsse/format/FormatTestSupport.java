package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Random;

/** Shared fixtures of the format tests. */
final class FormatTestSupport {
    static final SecureRandom RANDOM = new SecureRandom();
    static final KeyEnvelope ENVELOPE = new KeyEnvelope("sse-oss", "AES256@1", "test-wrap", new byte[] {1, 2, 3});

    private FormatTestSupport() {}

    /** Deterministic, non-periodic plaintext byte at position {@code pos}. */
    static byte patternByte(long pos) {
        long x = pos * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ pos);
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = patternByte(i);
        }
        return b;
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ObjectHeader header(ContentAlgorithm alg, int segmentSize) {
        return ObjectHeader.create(alg, segmentSize, ObjectHeader.newSalt(RANDOM), ENVELOPE);
    }

    static DataKey newKey() {
        return DataKey.generate(RANDOM);
    }

    static byte[] encrypt(ObjectHeader h, DataKey k, byte[] plaintext) {
        try (InputStream in = ObjectCrypto.encryptingStream(h, k, new java.io.ByteArrayInputStream(plaintext))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a reader got before its stream failed (or ended). */
    record Outcome(byte[] released, RuntimeException failure) {}

    /** Reads {@code in} in {@code chunk}-byte reads until EOF or failure, keeping every byte released. */
    static Outcome drain(InputStream in, int chunk) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        try (in) {
            int n;
            while ((n = in.read(buf, 0, chunk)) >= 0) {
                got.write(buf, 0, n);
            }
            return new Outcome(got.toByteArray(), null);
        } catch (RuntimeException e) {
            return new Outcome(got.toByteArray(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An endless-looking source of {@code length} pattern bytes that hands out odd-sized reads. */
    static final class PatternStream extends InputStream {
        private final long length;
        private final int maxRead;
        private long pos;

        PatternStream(long length, int maxRead) {
            this.length = length;
            this.maxRead = maxRead;
        }

        @Override
        public int read() {
            return pos < length ? patternByte(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, maxRead), length - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = patternByte(pos + i);
            }
            pos += n;
            return n;
        }
    }
}
