package io.servletsse.benchmarks;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.SegmentCipher;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectCrypto;
import io.servletsse.format.ObjectHeader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the streaming engine against the raw cipher on the same segments: one
 * {@code init} + {@code doFinal} per 64 KiB segment (SunJCE AES-256-GCM, or BouncyCastle
 * lightweight SM4-GCM), no streams. Each operation processes one whole object of
 * {@code objectMiB} MiB: MiB/s = ops/s x objectMiB. The engine reads its plaintext or ciphertext
 * from a ByteArrayInputStream (one memory copy the raw loop does not do) into a 1 MiB caller buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoEngineBenchmark {
    static final int S = ObjectHeader.DEFAULT_SEGMENT_SIZE;
    static final int T = S + SegmentCipher.TAG_LENGTH;

    @Param({"AES_256_GCM", "SM4_GCM"})
    public String algorithm;

    /** 16 MiB for AES; SM4 (pure Java, ~35 MiB/s) uses 4 MiB so that one iteration holds many operations. */
    int objectBytes;

    ContentAlgorithm alg;
    DataKey dataKey;
    ObjectHeader header;
    byte[] plaintext;
    byte[] stored;
    byte[] sink;
    ObjectCrypto.Decryptor decryptor;

    // Raw baseline state: the same content key the engine derives, one cipher object.
    Cipher jce;
    SecretKeySpec jceKey;
    GCMModeCipher bc;
    KeyParameter bcKey;
    byte[] rawSealed;
    byte[] rawOut;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        alg = ContentAlgorithm.valueOf(algorithm);
        objectBytes = alg == ContentAlgorithm.AES_256_GCM ? 16 << 20 : 4 << 20;
        SecureRandom rnd = new SecureRandom();
        dataKey = DataKey.generate(rnd);
        header = ObjectHeader.create(alg, S, ObjectHeader.newSalt(rnd),
                new KeyEnvelope("bench", "bench@1", "none-bench", new byte[40]));
        plaintext = new byte[objectBytes];
        rnd.nextBytes(plaintext);
        try (InputStream in = ObjectCrypto.encryptingStream(header, dataKey, new ByteArrayInputStream(plaintext))) {
            stored = in.readAllBytes();
        }
        decryptor = ObjectCrypto.openForDecryption(ObjectHeader.parse(stored, 0, stored.length), dataKey);
        sink = new byte[1 << 20];
        byte[] k = new byte[alg.keyLength()];
        rnd.nextBytes(k);
        jce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jceKey = new SecretKeySpec(k.length == 32 ? k : new byte[32], "AES");
        bc = GCMBlockCipher.newInstance(new SM4Engine());
        bcKey = new KeyParameter(k);
        rawSealed = new byte[(objectBytes / S) * T];
        rawOut = new byte[T];
        // Sealed segments for the raw decrypt baseline.
        for (int i = 0; i < objectBytes / S; i++) {
            rawSeal(i, plaintext, i * S, rawSealed, i * T);
        }
    }

    private int rawSeal(int i, byte[] in, int inOff, byte[] out, int outOff) throws Exception {
        byte[] nonce = SegmentCipher.nonceFor(i, i == objectBytes / S - 1);
        if (alg == ContentAlgorithm.AES_256_GCM) {
            jce.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(128, nonce));
            return jce.doFinal(in, inOff, S, out, outOff);
        }
        bc.init(true, new AEADParameters(bcKey, 128, nonce));
        int n = bc.processBytes(in, inOff, S, out, outOff);
        return n + bc.doFinal(out, outOff + n);
    }

    private int rawOpen(int i, byte[] in, int inOff, byte[] out) throws Exception {
        byte[] nonce = SegmentCipher.nonceFor(i, i == objectBytes / S - 1);
        if (alg == ContentAlgorithm.AES_256_GCM) {
            jce.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(128, nonce));
            return jce.doFinal(in, inOff, T, out, 0);
        }
        bc.init(false, new AEADParameters(bcKey, 128, nonce));
        int n = bc.processBytes(in, inOff, T, out, 0);
        try {
            return n + bc.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public long encryptEngine() throws IOException {
        long total = 0;
        try (InputStream in = ObjectCrypto.encryptingStream(header, dataKey, new ByteArrayInputStream(plaintext))) {
            int n;
            while ((n = in.read(sink, 0, sink.length)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * The engine's own cost: a source that hands out bytes without copying them (the buffer keeps
     * whatever it held), so the one memory copy any InputStream consumer pays is left out, as in the
     * raw loop. Output bytes are ciphertext of stale buffer contents; only the speed matters here.
     */
    @Benchmark
    public long encryptEngineNoCopySource() throws IOException {
        long total = 0;
        try (InputStream in = ObjectCrypto.encryptingStream(header, dataKey, new NoCopySource(objectBytes))) {
            int n;
            while ((n = in.read(sink, 0, sink.length)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /** Reports {@code length} bytes read without writing them. */
    static final class NoCopySource extends InputStream {
        private long left;

        NoCopySource(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            left -= n;
            return n;
        }
    }

    @Benchmark
    public long encryptRaw() throws Exception {
        long total = 0;
        for (int i = 0; i < objectBytes / S; i++) {
            total += rawSeal(i, plaintext, i * S, rawOut, 0);
        }
        return total;
    }

    @Benchmark
    public long decryptEngine() throws IOException {
        long total = 0;
        InputStream body = new ByteArrayInputStream(stored, header.length(), stored.length - header.length());
        try (InputStream in = decryptor.decryptingStream(body, stored.length)) {
            int n;
            while ((n = in.read(sink, 0, sink.length)) >= 0) {
                total += n;
            }
        }
        return total;
    }

    @Benchmark
    public long decryptRaw() throws Exception {
        long total = 0;
        for (int i = 0; i < objectBytes / S; i++) {
            total += rawOpen(i, rawSealed, i * T, rawOut);
        }
        return total;
    }

}
