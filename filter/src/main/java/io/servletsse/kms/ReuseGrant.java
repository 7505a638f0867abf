package io.servletsse.kms;

import java.time.Duration;
import java.util.Objects;

/**
 * Leave to use an opened object's data key again without unwrapping it afresh (the filter's download
 * cache), from {@link DataKeySource#reuse}: for at most {@code maxAge}, and only while a later
 * {@code reuse} of the same envelope returns this very {@code stamp} (compared by identity). A source
 * hands out a new stamp whenever anything its unwrap depends on changes: a CMK disabled and enabled
 * again, rotated, its material deleted or imported, or its metadata re-read after another node changed
 * it. So a reused key is served no longer, and under no other key state, than the source's own
 * decrypt cache would serve it.
 *
 * @param stamp  opaque; identity is what counts
 * @param maxAge how long an object opened under this grant may be reused
 */
public record ReuseGrant(Object stamp, Duration maxAge) {
    /** Service master keys: never disabled, old versions kept; the reuser's own limit applies. */
    static final ReuseGrant SERVICE_KEYS = new ReuseGrant(new Object(), Duration.ofDays(365));

    public ReuseGrant {
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** Whether an object opened under this grant may still be reused under {@code now}, the current grant. */
    public boolean sameAs(ReuseGrant now) {
        return now != null && now.stamp == stamp;
    }
}
