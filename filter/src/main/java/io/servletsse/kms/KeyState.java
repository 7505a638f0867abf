package io.servletsse.kms;

/**
 * A CMK's state, as Alibaba Cloud KMS names them ("Impact of CMK status on API operations"): only
 * {@link #ENABLED} keys generate or decrypt data keys. A destroyed key has no state: it is gone
 * (404 KeyNotFound).
 */
public enum KeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion"),
    /** An EXTERNAL (BYOK) key whose material has not been imported yet. */
    PENDING_IMPORT("PendingImport");

    private final String kmsName;

    KeyState(String kmsName) {
        this.kmsName = kmsName;
    }

    /** The name KMS's DescribeKey returns as {@code KeyState}. */
    public String kmsName() {
        return kmsName;
    }
}
