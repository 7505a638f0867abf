package io.servletsse.kms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What DescribeKey tells about a CMK. Nothing secret.
 *
 * @param keyId              the CMK id (lowercase UUID), what objects record
 * @param description        free text given at creation
 * @param state              see {@link KeyState}
 * @param origin             generated here or imported (BYOK)
 * @param creationDate       when the key was created
 * @param deleteDate         when a PendingDeletion key will be destroyed; {@code null} otherwise
 * @param primaryVersion     the material version new data keys are wrapped under (0 before import)
 * @param rotationInterval   automatic rotation period; {@code null} when off
 * @param lastRotationDate   when the primary version was made; {@code null} before any material
 * @param aliases            alias names pointing at this key, sorted
 */
public record KeyMetadata(String keyId, String description, KeyState state, KeyOrigin origin, Instant creationDate,
        Instant deleteDate, int primaryVersion, Duration rotationInterval, Instant lastRotationDate,
        List<String> aliases) {
    public KeyMetadata {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(creationDate, "creationDate");
        aliases = List.copyOf(aliases);
    }
}
