package io.servletsse.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A configured user: a name, optionally an OSS AccessKey pair, the groups it belongs to and the
 * policies attached to it directly. Immutable; built and validated by {@link #builder(String)}.
 *
 * <p>The AccessKey secret never leaves this class except through the package-private
 * {@link #secretUtf8()} that the signature verifier uses; {@link #toString()} redacts it.
 */
public final class User {
    /** OSS: "accepts only alphanumeric characters [0-9a-zA-Z] and several special characters [. _=]". */
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[0-9A-Za-z._=]{1,128}");
    static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@+=,\\-]{1,128}");

    private final String name;
    private final String accessKeyId;
    private final byte[] secret;
    private final List<String> groups;
    private final List<String> policies;

    private User(Builder b) {
        this.name = b.name;
        this.accessKeyId = b.accessKeyId;
        this.secret = b.secret;
        this.groups = List.copyOf(b.groups);
        this.policies = List.copyOf(b.policies);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The AccessKey ID, or {@code null} if this user cannot sign requests. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** Group names, as configured. */
    public List<String> groups() {
        return groups;
    }

    /** Names of the policies attached to this user directly. */
    public List<String> policies() {
        return policies;
    }

    /** A copy of the AccessKey secret's UTF-8 bytes (HMAC key material); only the verifier calls this. */
    byte[] secretUtf8() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "User[name=" + name + ", accessKeyId=" + accessKeyId
                + (secret == null ? "" : ", accessKeySecret=<redacted>")
                + ", groups=" + groups + ", policies=" + policies + "]";
    }

    /** Validating builder; {@link #build()} checks the AccessKey pair is complete. */
    public static final class Builder {
        private final String name;
        private String accessKeyId;
        private byte[] secret;
        private final LinkedHashSet<String> groups = new LinkedHashSet<>();
        private final LinkedHashSet<String> policies = new LinkedHashSet<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches() || Caller.ANONYMOUS_NAME.equals(name)) {
                throw new IllegalArgumentException("invalid user name: '" + name + "' (1-128 letters, digits, ._@+=,-; not 'anonymous')");
            }
            this.name = name;
        }

        /** Sets the AccessKey pair. The secret is copied; the caller may clear its own copy. */
        public Builder accessKey(String accessKeyId, String accessKeySecret) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(accessKeySecret, "accessKeySecret");
            if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
                throw new IllegalArgumentException("invalid accessKeyId for user '" + name
                        + "': 1-128 characters of [0-9a-zA-Z._=]");
            }
            if (accessKeySecret.isEmpty() || accessKeySecret.length() > 1024) {
                // The OSS SDKs send an unsigned (anonymous) request when the secret is empty.
                throw new IllegalArgumentException("accessKeySecret of user '" + name + "' must be 1-1024 characters");
            }
            this.accessKeyId = accessKeyId;
            this.secret = accessKeySecret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder group(String group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        public Builder policy(String policyName) {
            policies.add(Objects.requireNonNull(policyName, "policy"));
            return this;
        }

        public User build() {
            return new User(this);
        }
    }
}
