package io.servletsse.kms;

import java.util.Objects;

/** One alias (ListAliases): {@code alias/...} pointing at a CMK id. */
public record AliasInfo(String aliasName, String keyId) {
    public AliasInfo {
        Objects.requireNonNull(aliasName, "aliasName");
        Objects.requireNonNull(keyId, "keyId");
    }
}
