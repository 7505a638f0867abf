package io.servletsse.kms;

import io.servletsse.crypto.DataKey;
import io.servletsse.format.KeyEnvelope;
import java.util.Objects;

/**
 * A fresh data key: the plaintext key (for this upload only) and its wrapped form (for the header).
 * The caller owns {@code dataKey} and destroys it when the upload is done.
 */
public record GeneratedDataKey(DataKey dataKey, KeyEnvelope envelope) {
    public GeneratedDataKey {
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(envelope, "envelope");
    }
}
