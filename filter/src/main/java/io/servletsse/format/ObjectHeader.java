package io.servletsse.format;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.crypto.DataKey;
import io.servletsse.crypto.Hkdf;
import io.servletsse.crypto.SegmentCipher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The header of an encrypted object (docs/FORMAT.md is the spec of record). Immutable; created for
 * a new object with {@link #create}, or read from stored bytes with {@link #parse}. A parsed header
 * is NOT yet authenticated: {@link ObjectCrypto#openForDecryption} checks its MAC.
 *
 * <p>Layout (big-endian): magic(4) version(1) alg(1) seg_log2(1) flags(1) header_len(4) salt(32)
 * provider(u8 len) key_id(u16 len) wrap_alg(u8 len) wrapped(u16 len) ext(u16 len) zero padding,
 * then a 32-byte MAC over everything before it.
 *
 * <p>CONTRACT (the servlet layer depends on these signatures; the format owner may add to them).
 */
public final class ObjectHeader {
    /** Length of the magic prefix. */
    public static final int MAGIC_LENGTH = 4;
    /** No header is longer than this; a probe of this many bytes always holds a whole header. */
    public static final int MAX_LENGTH = 4096;
    /** No header is shorter than this. */
    public static final int MIN_LENGTH = 128;
    /** Header length of new encrypted objects: room for any re-wrap of typical envelopes in place. */
    public static final int DEFAULT_LENGTH = 1024;
    /** Length of the plain escape envelope's header. */
    public static final int PLAIN_ENVELOPE_LENGTH = MIN_LENGTH;
    /** Default plaintext segment size (64 KiB). */
    public static final int DEFAULT_SEGMENT_SIZE = 1 << 16;
    /** Smallest and largest segment size (4 KiB, 4 MiB). */
    public static final int MIN_SEGMENT_SIZE = 1 << 12;
    public static final int MAX_SEGMENT_SIZE = 1 << 22;
    /** Length of the per-object salt. */
    public static final int SALT_LENGTH = 32;
    /** Length of the header MAC (HMAC-SHA256) at the end of the header. */
    public static final int MAC_LENGTH = 32;
    /** The only version this code reads and writes. */
    public static final int VERSION = 1;
    /** Length of the fixed part: magic, version, alg, seg_log2, flags, header_len, salt. */
    public static final int FIXED_LENGTH = 12 + SALT_LENGTH;
    /** GCM tag per segment. */
    public static final int TAG_LENGTH = SegmentCipher.TAG_LENGTH;

    private static final byte[] MAGIC = {(byte) 0x89, 'S', 'E', 'F'};
    /** Headers grow in steps of this many bytes when an envelope does not fit the default length. */
    private static final int GROWTH_STEP = 256;

    private final ContentAlgorithm algorithm;
    private final int segLog2;
    private final int length;
    private final byte[] salt;
    private final KeyEnvelope envelope;
    private final byte[] ext;
    /** The stored bytes this header was parsed from (null for a header made here): their MAC is checked on open. */
    private final byte[] stored;
    /** Where the zero padding of {@code stored} begins (0 for a header made here). */
    private final int paddingStart;

    private ObjectHeader(ContentAlgorithm algorithm, int segLog2, int length, byte[] salt, KeyEnvelope envelope,
            byte[] ext, byte[] stored, int paddingStart) {
        this.algorithm = algorithm;
        this.segLog2 = segLog2;
        this.length = length;
        this.salt = salt;
        this.envelope = envelope;
        this.ext = ext;
        this.stored = stored;
        this.paddingStart = paddingStart;
    }

    /** A fresh random per-object salt; also the context that binds the wrapped key to this object. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return salt;
    }

    /** A header for a new encrypted object. {@code segmentSize} is a power of two, 4 KiB..4 MiB. */
    public static ObjectHeader create(ContentAlgorithm algorithm, int segmentSize, byte[] salt, KeyEnvelope envelope) {
        return create(algorithm, segmentSize, salt, envelope, DEFAULT_LENGTH);
    }

    /**
     * As {@link #create(ContentAlgorithm, int, byte[], KeyEnvelope)} with a chosen minimum header
     * length ({@link #MIN_LENGTH}..{@link #MAX_LENGTH}); the header grows past it if the envelope needs.
     */
    public static ObjectHeader create(ContentAlgorithm algorithm, int segmentSize, byte[] salt, KeyEnvelope envelope,
            int minHeaderLength) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(envelope, "envelope");
        if (algorithm == ContentAlgorithm.NONE) {
            throw new IllegalArgumentException("use plainEnvelope() for the NONE algorithm");
        }
        checkNotPlainProvider(envelope);
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("segment size must be a power of two in 4 KiB..4 MiB: " + segmentSize);
        }
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes");
        }
        if (minHeaderLength < MIN_LENGTH || minHeaderLength > MAX_LENGTH) {
            throw new IllegalArgumentException("header length out of range: " + minHeaderLength);
        }
        byte[] noExt = new byte[0];
        int len = lengthFor(minHeaderLength, envelope, noExt);
        return new ObjectHeader(algorithm, Integer.numberOfTrailingZeros(segmentSize), len, salt.clone(), envelope,
                noExt, null, 0);
    }

    /** The header of the plain escape envelope (algorithm NONE) for plaintext that begins with the magic. */
    public static ObjectHeader plainEnvelope() {
        return new ObjectHeader(ContentAlgorithm.NONE, 16, PLAIN_ENVELOPE_LENGTH, new byte[SALT_LENGTH],
                KeyEnvelope.NONE, new byte[0], null, 0);
    }

    /** Whether {@code buf[off, off+len)} begins with the format's magic (needs {@link #MAGIC_LENGTH} bytes). */
    public static boolean hasMagic(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < MAGIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < MAGIC_LENGTH; i++) {
            if (buf[off + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The magic bytes (a copy). */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /**
     * Parses a header from the start of {@code buf[off, off+len)}; the buffer may hold more than the
     * header. Bounds-checks every field before allocating. Throws {@link FormatException}
     * (MALFORMED_HEADER / TRUNCATED / UNSUPPORTED_*) on anything else.
     */
    public static ObjectHeader parse(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int h = checkPrefix(buf, off, len);
        if (len < h) {
            throw new FormatException(FormatException.Reason.TRUNCATED,
                    "header needs " + h + " bytes, only " + len + " available");
        }
        return parseBody(Arrays.copyOfRange(buf, off, off + h));
    }

    /**
     * Whether bytes without the magic are nonetheless a whole, valid header once the magic is put
     * back: an encrypted object whose first bytes were damaged, which must not be served as the
     * plaintext it would pass for (its ciphertext). Plaintext passes this only by a chance of well
     * under 2^-40 (version, header length, algorithm, segment size, flags and the key envelope must
     * all parse). Throws {@link FormatException.Reason#TRUNCATED} while more bytes could still tell.
     */
    public static boolean isHeaderBehindDamagedMagic(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 12) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "fewer bytes than a header's fixed part");
        }
        byte[] copy = Arrays.copyOfRange(buf, off, off + Math.min(len, MAX_LENGTH));
        System.arraycopy(MAGIC, 0, copy, 0, MAGIC_LENGTH);
        try {
            parse(copy, 0, copy.length);
            return true;
        } catch (FormatException e) {
            if (e.reason() == FormatException.Reason.TRUNCATED) {
                throw e;
            }
            return false;
        }
    }

    /** Reads exactly one header (its own length) from {@code in}; same checks as {@link #parse(byte[], int, int)}. */
    public static ObjectHeader read(InputStream in) throws IOException {
        byte[] prefix = new byte[12];
        int n = readFully(in, prefix, 0, prefix.length);
        int h = checkPrefix(prefix, 0, n);
        if (n < prefix.length) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "object shorter than a header");
        }
        byte[] all = Arrays.copyOf(prefix, h);
        int m = readFully(in, all, prefix.length, h - prefix.length);
        if (m < h - prefix.length) {
            throw new FormatException(FormatException.Reason.TRUNCATED,
                    "header needs " + h + " bytes, only " + (prefix.length + m) + " available");
        }
        return parseBody(all);
    }

    /** Checks magic, version and header_len from as many of the first 12 bytes as there are; returns H. */
    private static int checkPrefix(byte[] buf, int off, int len) {
        int magicAvail = Math.min(len, MAGIC_LENGTH);
        for (int i = 0; i < magicAvail; i++) {
            if (buf[off + i] != MAGIC[i]) {
                throw new FormatException(FormatException.Reason.MALFORMED_HEADER, "no SEF magic");
            }
        }
        if (len < 12) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "object shorter than a header");
        }
        int version = buf[off + 4] & 0xff;
        if (version != VERSION) {
            throw new FormatException(FormatException.Reason.UNSUPPORTED_VERSION, "format version " + version);
        }
        long h = u32(buf, off + 8);
        if (h < MIN_LENGTH || h > MAX_LENGTH) {
            throw new FormatException(FormatException.Reason.MALFORMED_HEADER, "header length out of range: " + h);
        }
        return (int) h;
    }

    /** Parses a complete header of exactly {@code b.length} bytes (prefix already checked). */
    private static ObjectHeader parseBody(byte[] b) {
        int h = b.length;
        int algId = b[5] & 0xff;
        ContentAlgorithm alg = ContentAlgorithm.byId(algId);
        if (alg == null) {
            throw new FormatException(FormatException.Reason.UNSUPPORTED_ALGORITHM, "content algorithm id " + algId);
        }
        int segLog2 = b[6] & 0xff;
        if (segLog2 < 12 || segLog2 > 22) {
            throw malformed("segment size 2^" + segLog2 + " out of range");
        }
        if (b[7] != 0) {
            throw malformed("unknown flags");
        }
        byte[] salt = Arrays.copyOfRange(b, 12, 12 + SALT_LENGTH);
        Cursor c = new Cursor(b, FIXED_LENGTH, h - MAC_LENGTH);
        String provider = c.text(c.u8(), KeyEnvelope.MAX_PROVIDER, "provider");
        String keyId = c.text(c.u16(), KeyEnvelope.MAX_KEY_ID, "key id");
        String wrapAlg = c.text(c.u8(), KeyEnvelope.MAX_WRAP_ALGORITHM, "wrap algorithm");
        byte[] wrapped = c.bytes(c.u16(), KeyEnvelope.MAX_WRAPPED, "wrapped key");
        byte[] ext = c.bytes(c.u16(), MAX_LENGTH, "extension area");
        for (int i = c.pos; i < h - MAC_LENGTH; i++) {
            if (b[i] != 0) {
                throw malformed("non-zero padding");
            }
        }
        KeyEnvelope envelope = new KeyEnvelope(provider, keyId, wrapAlg, wrapped);
        if (alg == ContentAlgorithm.NONE) {
            // The plain envelope has exactly one form; anything else is not one we wrote.
            if (!envelope.equals(KeyEnvelope.NONE) || !isZero(salt) || ext.length != 0) {
                throw malformed("plain envelope with key material");
            }
        } else if (envelope.provider().equals(KeyEnvelope.NONE.provider())) {
            // "none" is reserved for the plain envelope: an encrypted object always names its key source.
            throw malformed("encrypted object without a key provider");
        }
        return new ObjectHeader(alg, segLog2, h, salt, envelope, ext, b, c.pos);
    }

    /** Total header length H in bytes. */
    public int length() {
        return length;
    }

    public ContentAlgorithm algorithm() {
        return algorithm;
    }

    /** Plaintext segment size S (recorded but unused for the NONE algorithm). */
    public int segmentSize() {
        return 1 << segLog2;
    }

    /** The per-object salt (a copy; all zeros for the plain envelope). */
    public byte[] salt() {
        return salt.clone();
    }

    public KeyEnvelope keyEnvelope() {
        return envelope;
    }

    /** The authenticated extension area (a copy; empty for headers written by this version). */
    public byte[] extension() {
        return ext.clone();
    }

    /** Whether this header was parsed from stored bytes (and so has a MAC to check). */
    public boolean isParsed() {
        return stored != null;
    }

    /**
     * The same header with another key envelope (re-wrap); the MAC is recomputed on {@link #encode}.
     * The length stays the same when the new envelope fits (so the header can be rewritten in place),
     * otherwise it grows; an envelope that cannot fit in {@link #MAX_LENGTH} is an IllegalArgumentException.
     */
    public ObjectHeader withKeyEnvelope(KeyEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (algorithm == ContentAlgorithm.NONE) {
            throw new IllegalArgumentException("the plain envelope has no key to re-wrap");
        }
        checkNotPlainProvider(envelope);
        return new ObjectHeader(algorithm, segLog2, lengthFor(length, envelope, ext), salt, envelope, ext, null, 0);
    }

    /** The header bytes (length {@link #length()}), with the MAC computed under {@code dataKey} (null for NONE). */
    public byte[] encode(DataKey dataKey) {
        byte[] b = new byte[length];
        System.arraycopy(MAGIC, 0, b, 0, MAGIC_LENGTH);
        b[4] = VERSION;
        b[5] = (byte) algorithm.id();
        b[6] = (byte) segLog2;
        b[7] = 0;
        putU32(b, 8, length);
        System.arraycopy(salt, 0, b, 12, SALT_LENGTH);
        int p = FIXED_LENGTH;
        p = putField(b, p, 1, envelope.provider().getBytes(StandardCharsets.UTF_8));
        p = putField(b, p, 2, envelope.keyId().getBytes(StandardCharsets.UTF_8));
        p = putField(b, p, 1, envelope.wrapAlgorithm().getBytes(StandardCharsets.UTF_8));
        p = putField(b, p, 2, envelope.wrapped());
        putField(b, p, 2, ext);
        byte[] mac = computeMac(b, dataKey);
        System.arraycopy(mac, 0, b, length - MAC_LENGTH, MAC_LENGTH);
        return b;
    }

    /**
     * The stored bytes a parsed header came from without their zero padding (fields, then the MAC),
     * or null for a header made here. Equal identities mean byte-identical stored headers: the
     * length H is in the fixed prefix and {@link #parse} rejects any non-zero padding byte. The
     * download cache's key, taken on every download: one short copy, no digest to compute.
     */
    public byte[] storedIdentity() {
        if (stored == null) {
            return null;
        }
        byte[] id = Arrays.copyOf(stored, paddingStart + MAC_LENGTH);
        System.arraycopy(stored, length - MAC_LENGTH, id, paddingStart, MAC_LENGTH);
        return id;
    }

    /** The stored bytes a parsed header came from (a copy), or null for a header made here. */
    byte[] storedBytes() {
        return stored == null ? null : stored.clone();
    }

    /** The MAC over {@code b[0, H-32)}: HMAC-SHA256 under K_hdr, or SHA-256 for the plain envelope. */
    byte[] computeMac(byte[] b, DataKey dataKey) {
        if (algorithm == ContentAlgorithm.NONE) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(b, 0, length - MAC_LENGTH);
                return sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
        Objects.requireNonNull(dataKey, "dataKey (required for an encrypted object)");
        byte[] macKey = ObjectKeys.headerMacKey(dataKey, salt);
        try {
            return Hkdf.hmacSha256(macKey, b, 0, length - MAC_LENGTH);
        } finally {
            Arrays.fill(macKey, (byte) 0);
        }
    }

    /** log2 of the segment size (bound into the content key). */
    int segmentLog2() {
        return segLog2;
    }

    /** Number of segments of an object of {@code plaintextLength} bytes: max(1, ceil(P/S)). */
    public long segmentCount(long plaintextLength) {
        if (plaintextLength < 0) {
            throw new IllegalArgumentException("negative length");
        }
        return plaintextLength == 0 ? 1 : ((plaintextLength - 1) >>> segLog2) + 1;
    }

    /** Ciphertext (stored) length of an object of {@code plaintextLength} bytes, header included. */
    public long ciphertextLength(long plaintextLength) {
        if (plaintextLength < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (algorithm == ContentAlgorithm.NONE) {
            return Math.addExact(length, plaintextLength);
        }
        long n = segmentCount(plaintextLength);
        if (n - 1 > SegmentCipher.MAX_INDEX) {
            throw new IllegalArgumentException("object too large for the format: " + plaintextLength + " bytes");
        }
        return Math.addExact(Math.addExact(length, plaintextLength), n * TAG_LENGTH);
    }

    /**
     * Plaintext length of a stored object of {@code ciphertextLength} bytes (header included).
     * Throws {@link FormatException} TRUNCATED if no plaintext length maps to it.
     */
    public long plaintextLength(long ciphertextLength) {
        if (ciphertextLength < length) {
            throw new FormatException(FormatException.Reason.TRUNCATED,
                    "stored length " + ciphertextLength + " shorter than the header");
        }
        long body = ciphertextLength - length;
        if (algorithm == ContentAlgorithm.NONE) {
            return body;
        }
        if (body < TAG_LENGTH) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "no final segment");
        }
        long t = (long) segmentSize() + TAG_LENGTH;
        long n = (body - 1) / t + 1;
        long lastLen = body - (n - 1) * t;
        if (n - 1 > SegmentCipher.MAX_INDEX || (n > 1 && lastLen < TAG_LENGTH + 1)) {
            throw new FormatException(FormatException.Reason.TRUNCATED,
                    "stored length " + ciphertextLength + " is not a whole number of segments");
        }
        return body - n * TAG_LENGTH;
    }

    /**
     * The ciphertext byte range that covers plaintext bytes {@code [first, lastInclusive]} of an
     * object whose stored length is {@code ciphertextLength}; whole segments only.
     */
    public RangePlan planRange(long ciphertextLength, long first, long lastInclusive) {
        long p = plaintextLength(ciphertextLength);
        if (first < 0 || lastInclusive < first || lastInclusive >= p) {
            throw new FormatException(FormatException.Reason.INVALID_RANGE,
                    "range " + first + "-" + lastInclusive + " outside a " + p + "-byte object");
        }
        if (algorithm == ContentAlgorithm.NONE) {
            return new RangePlan(first, lastInclusive, p, 0, length + first, length + lastInclusive + 1);
        }
        long t = (long) segmentSize() + TAG_LENGTH;
        long fs = first >>> segLog2;
        long ls = lastInclusive >>> segLog2;
        long off = length + fs * t;
        long end = Math.min(length + (ls + 1) * t, ciphertextLength);
        return new RangePlan(first, lastInclusive, p, fs, off, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectHeader x && algorithm == x.algorithm && segLog2 == x.segLog2 && length == x.length
                && Arrays.equals(salt, x.salt) && envelope.equals(x.envelope) && Arrays.equals(ext, x.ext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, segLog2, length, Arrays.hashCode(salt), envelope);
    }

    @Override
    public String toString() {
        return "ObjectHeader[v1, " + algorithm + ", segment=" + segmentSize() + ", length=" + length + ", "
                + envelope + "]";
    }

    // ---- encoding helpers -------------------------------------------------------------------

    private static int lengthFor(int minLength, KeyEnvelope envelope, byte[] ext) {
        long needed = (long) FIXED_LENGTH
                + 1 + utf8Length(envelope.provider())
                + 2 + utf8Length(envelope.keyId())
                + 1 + utf8Length(envelope.wrapAlgorithm())
                + 2 + envelope.wrapped().length
                + 2 + ext.length
                + MAC_LENGTH;
        if (needed <= minLength) {
            return minLength;
        }
        long grown = (needed + GROWTH_STEP - 1) / GROWTH_STEP * GROWTH_STEP;
        if (grown > MAX_LENGTH) {
            throw new IllegalArgumentException("key envelope does not fit in a " + MAX_LENGTH + "-byte header");
        }
        return (int) grown;
    }

    private static void checkNotPlainProvider(KeyEnvelope envelope) {
        if (envelope.provider().equals(KeyEnvelope.NONE.provider())) {
            throw new IllegalArgumentException("provider \"none\" is reserved for the plain envelope");
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int putField(byte[] b, int p, int lenBytes, byte[] value) {
        if (lenBytes == 1) {
            b[p] = (byte) value.length;
        } else {
            b[p] = (byte) (value.length >>> 8);
            b[p + 1] = (byte) value.length;
        }
        System.arraycopy(value, 0, b, p + lenBytes, value.length);
        return p + lenBytes + value.length;
    }

    private static void putU32(byte[] b, int p, long v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) << 24 | (b[p + 1] & 0xffL) << 16 | (b[p + 2] & 0xffL) << 8 | (b[p + 3] & 0xffL);
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static FormatException malformed(String what) {
        return new FormatException(FormatException.Reason.MALFORMED_HEADER, what);
    }

    static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, off + n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** Reads length-prefixed fields, checking each length against its limit and the space left. */
    private static final class Cursor {
        private final byte[] b;
        private final int end;
        private int pos;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            need(1, "length byte");
            return b[pos++] & 0xff;
        }

        int u16() {
            need(2, "length");
            int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        byte[] bytes(int n, int max, String what) {
            if (n > max) {
                throw malformed(what + " longer than " + max + " bytes");
            }
            need(n, what);
            byte[] v = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return v;
        }

        String text(int n, int max, String what) {
            byte[] raw = bytes(n, max, what);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw malformed(what + " is not UTF-8");
            }
        }

        private void need(int n, String what) {
            if (n > end - pos) {
                throw malformed(what + " runs past the header");
            }
        }
    }

}
