package io.servletsse.kms;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * CMK id and alias syntax. A CMK id is a lowercase UUID (as KMS's KeyId); an alias is
 * {@code alias/} followed by 1..250 of {@code [A-Za-z0-9_/:-]} (KMS CreateAlias: "alias/" prefix,
 * letters, digits, underscores, slashes, colons and hyphens). Anything else is 400 InvalidParameter,
 * which OSS answers for a malformed x-oss-server-side-encryption-key-id.
 */
final class KeyIds {
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ALIAS_FORM = Pattern.compile("alias/[A-Za-z0-9_/:\\-]{1,250}");
    /** KMS reserves this prefix for cloud-service keys; only our own default alias lives there. */
    static final String RESERVED_ALIAS_PREFIX = "alias/acs/";

    private KeyIds() {}

    static boolean isKeyId(String s) {
        return s != null && UUID_FORM.matcher(s).matches();
    }

    static boolean isAlias(String s) {
        return s != null && ALIAS_FORM.matcher(s).matches();
    }

    static String requireKeyId(String s) {
        if (!isKeyId(s)) {
            throw io.servletsse.error.OssErrors.invalidKmsKeyId();
        }
        return s;
    }

    static String newKeyId() {
        return UUID.randomUUID().toString(); // random (type 4), lowercase
    }
}
