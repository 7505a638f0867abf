package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.servletsse.error.SseException;
import io.servletsse.fuzz.Bounded;
import io.servletsse.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * The Range parser (and the Content-Range readers that parse the app's answers) on any header a
 * client or app can send: a range or "ignore the header" (null), or 400 InvalidArgument for an
 * over-long header; never another exception. A resolved range always lies inside the object.
 * (In this package because ByteRange is package-private.)
 */
class ByteRangeFuzzTest {
    private static final FuzzStats STATS = new FuzzStats("ByteRange");

    @AfterAll
    static void report() {
        STATS.write();
    }

    @FuzzTest(maxDuration = "12s")
    void parse(FuzzedDataProvider data) {
        long length = data.consumeLong(0, 1L << 62);
        boolean prefix = data.consumeBoolean();
        String header = (prefix ? "bytes=" : "") + data.consumeRemainingAsString();
        ByteRange[] parsed = new ByteRange[1];
        long allocated = Bounded.allocation(1L << 20, 64, header.length(), () -> {
            try {
                parsed[0] = ByteRange.parse(header);
            } catch (SseException e) {
                assertThat(e.httpStatus()).isEqualTo(400);
                assertThat(e.ossCode()).isEqualTo("InvalidArgument");
                assertThat(header.length()).isGreaterThan(ByteRange.MAX_HEADER_LENGTH);
                parsed[0] = null;
            }
        });
        // What the app answers is parsed too (the probe's and the range read's Content-Range).
        long total = Exchange.totalOfContentRange(header);
        long start = Exchange.startOfContentRange(header);
        // Any negative value means "unknown" to the callers (they test < 0): a "bytes 0-1/-5" from
        // the app is an unknown length, never a length.
        assertThat(total < 0 || header.contains("/")).isTrue();
        assertThat(start < 0 || header.contains(" ")).isTrue();
        ByteRange r = parsed[0];
        if (r == null) {
            STATS.refused(allocated);
            return;
        }
        STATS.accepted(allocated);
        assertThat(r.start() >= 0 || r.end() >= 0).isTrue();
        assertThat(r.end() < 0 || r.start() < 0 || r.end() >= r.start()).isTrue();
        long[] interval = r.resolve(length);
        if (interval != null) {
            assertThat(interval[0]).isBetween(0L, length - 1);
            assertThat(interval[1]).isBetween(interval[0], length - 1);
        }
    }
}
