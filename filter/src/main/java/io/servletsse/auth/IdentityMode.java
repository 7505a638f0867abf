package io.servletsse.auth;

/** Where the caller's identity comes from; chosen by {@code access.identity} in the configuration. */
public enum IdentityMode {
    /** {@code "accessKey"}: requests signed with OSS signature V1 or V4 and a configured AccessKey pair. */
    ACCESS_KEY("accessKey"),
    /** {@code "principal"}: the container's authenticated principal ({@code getUserPrincipal()}). */
    PRINCIPAL("principal"),
    /** {@code "header"}: a header set by a trusted fronting proxy (which must strip it from clients). */
    HEADER("header");

    private final String configName;

    IdentityMode(String configName) {
        this.configName = configName;
    }

    /** The value used in the JSON configuration. */
    public String configName() {
        return configName;
    }

    /** The mode for a configuration value, or {@code null}. Exact match. */
    public static IdentityMode fromConfigName(String value) {
        for (IdentityMode m : values()) {
            if (m.configName.equals(value)) {
                return m;
            }
        }
        return null;
    }
}
