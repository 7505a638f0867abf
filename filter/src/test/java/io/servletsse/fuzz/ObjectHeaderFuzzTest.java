package io.servletsse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.FormatException;
import io.servletsse.format.ObjectHeader;
import io.servletsse.format.RangePlan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;

/**
 * The object header parser reads the first bytes of whatever the app returns for a download: any
 * file on the app's disk, written by anyone. Outcome wanted: a header, or a {@link FormatException};
 * nothing else, and no allocation beyond a few header lengths. For a header that parses, the
 * length arithmetic the range planner relies on must be self-consistent.
 */
class ObjectHeaderFuzzTest {
    private static final FuzzStats STATS = new FuzzStats("ObjectHeader");

    @AfterAll
    static void report() {
        STATS.write();
    }

    @FuzzTest(maxDuration = "12s")
    void parse(FuzzedDataProvider data) {
        long storedLength = data.consumeLong(-1, Long.MAX_VALUE / 2);
        long first = data.consumeLong(-2, 1L << 40);
        long last = data.consumeLong(-2, 1L << 40);
        boolean forceMagic = data.consumeBoolean();
        byte[] buf = data.consumeRemainingAsBytes();
        if (forceMagic && buf.length >= 12) {
            // Most random inputs die at the magic; give the fuzzer a head start past it.
            System.arraycopy(ObjectHeader.magic(), 0, buf, 0, ObjectHeader.MAGIC_LENGTH);
            buf[4] = 1;
        }
        ObjectHeader[] parsed = new ObjectHeader[1];
        long allocated = Bounded.allocation(1L << 20, 64, buf.length, () -> {
            try {
                parsed[0] = ObjectHeader.parse(buf, 0, buf.length);
            } catch (FormatException e) {
                parsed[0] = null;
            }
        });
        ObjectHeader fromStream = readFromStream(buf);
        if (parsed[0] == null) {
            STATS.refused(allocated);
            assertThat(fromStream).as("read() and parse() agree on refusal").isNull();
            return;
        }
        ObjectHeader h = parsed[0];
        STATS.accepted(allocated);
        assertThat(fromStream).as("read() and parse() agree").isEqualTo(h);
        assertThat(h.length()).isBetween(ObjectHeader.MIN_LENGTH, ObjectHeader.MAX_LENGTH);
        assertThat(Integer.bitCount(h.segmentSize())).isEqualTo(1);
        assertThat(h.segmentSize()).isBetween(ObjectHeader.MIN_SEGMENT_SIZE, ObjectHeader.MAX_SEGMENT_SIZE);
        if (h.algorithm() == ContentAlgorithm.NONE) {
            assertThat(h.salt()).containsOnly(0);
        }

        long plain;
        try {
            plain = h.plaintextLength(storedLength);
        } catch (FormatException e) {
            return; // a stored length no plaintext maps to
        }
        assertThat(plain).isBetween(0L, storedLength);
        assertThat(h.ciphertextLength(plain)).as("stored length round trip").isEqualTo(storedLength);
        RangePlan plan;
        try {
            plan = h.planRange(storedLength, first, last);
        } catch (FormatException e) {
            assertThat(first < 0 || last < first || last >= plain).as("refused only an invalid range").isTrue();
            return;
        }
        assertThat(plan.ciphertextOffset()).isBetween((long) h.length(), storedLength);
        assertThat(plan.ciphertextEnd()).isBetween(plan.ciphertextOffset() + 1, storedLength);
        assertThat(plan.length()).isEqualTo(last - first + 1);
    }

    private static ObjectHeader readFromStream(byte[] buf) {
        try {
            return ObjectHeader.read(new ByteArrayInputStream(buf));
        } catch (FormatException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
