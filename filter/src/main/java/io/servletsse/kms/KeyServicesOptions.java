package io.servletsse.kms;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link KeyServices#open} needs; immutable, validated by {@link Builder#build()}.
 * Defaults: root key by {@link RootKey#resolve} precedence with the process environment; service
 * master keys rotate every 90 days; KMS enabled on the built-in backend; caching
 * {@link DataKeyCacheOptions#DEFAULTS}; the system UTC clock; a new {@link SecureRandom}.
 */
public final class KeyServicesOptions {
    /** Where CMK material lives. */
    public enum Backend {
        /** Built-in KMS: material sealed under the root key in {@code <dataDir>/kms/}. Provider {@code kms}. */
        LOCAL,
        /** A PKCS#11 token (HSM) through SunPKCS11. Provider {@code pkcs11}. */
        PKCS11
    }

    private final Path dataDirectory;
    private final Path rootKeyFile;
    private final String rootKeyEnvironmentVariable;
    private final Map<String, String> environment;
    private final Duration serviceKeyRotationPeriod;
    private final boolean kmsEnabled;
    private final Backend backend;
    private final Pkcs11Options pkcs11;
    private final DataKeyCacheOptions cache;
    private final Clock clock;
    private final SecureRandom random;

    private KeyServicesOptions(Builder b) {
        this.dataDirectory = b.dataDirectory;
        this.rootKeyFile = b.rootKeyFile;
        this.rootKeyEnvironmentVariable = b.rootKeyEnvironmentVariable;
        this.environment = b.environment;
        this.serviceKeyRotationPeriod = b.serviceKeyRotationPeriod;
        this.kmsEnabled = b.kmsEnabled;
        this.backend = b.backend;
        this.pkcs11 = b.pkcs11;
        this.cache = b.cache;
        this.clock = b.clock;
        this.random = b.random;
    }

    /** @param dataDirectory where key files live (created 0700 if missing) */
    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Path rootKeyFile() {
        return rootKeyFile;
    }

    public String rootKeyEnvironmentVariable() {
        return rootKeyEnvironmentVariable;
    }

    Map<String, String> environment() {
        return environment;
    }

    public Duration serviceKeyRotationPeriod() {
        return serviceKeyRotationPeriod;
    }

    public boolean kmsEnabled() {
        return kmsEnabled;
    }

    public Backend backend() {
        return backend;
    }

    public Pkcs11Options pkcs11() {
        return pkcs11;
    }

    public DataKeyCacheOptions cache() {
        return cache;
    }

    public Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    @Override
    public String toString() {
        return "KeyServicesOptions[dataDirectory=" + dataDirectory + ", rootKeyFile=" + rootKeyFile
                + ", rootKeyEnvironmentVariable=" + rootKeyEnvironmentVariable + ", serviceKeyRotationPeriod="
                + serviceKeyRotationPeriod + ", kmsEnabled=" + kmsEnabled + ", backend=" + backend + ", pkcs11=" + pkcs11
                + ", cache=" + cache + "]";
    }

    /** Each setter validates at once and names the bad value; {@link #build()} checks combinations. */
    public static final class Builder {
        private final Path dataDirectory;
        private Path rootKeyFile;
        private String rootKeyEnvironmentVariable = RootKey.DEFAULT_ENVIRONMENT_VARIABLE;
        private Map<String, String> environment = System.getenv();
        private Duration serviceKeyRotationPeriod = ServiceMasterKeys.DEFAULT_ROTATION_PERIOD;
        private boolean kmsEnabled = true;
        private Backend backend = Backend.LOCAL;
        private Pkcs11Options pkcs11;
        private DataKeyCacheOptions cache = DataKeyCacheOptions.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;

        private Builder(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        /** Operator-supplied root key file (raw 32 bytes or base64); must exist if set. */
        public Builder rootKeyFile(Path file) {
            this.rootKeyFile = file;
            return this;
        }

        /** Environment variable holding the base64 root key (default {@value RootKey#DEFAULT_ENVIRONMENT_VARIABLE}). */
        public Builder rootKeyEnvironmentVariable(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("rootKeyEnvironmentVariable cannot be blank: " + name);
            }
            this.rootKeyEnvironmentVariable = name;
            return this;
        }

        /** The environment to read the root key variable from (tests; default {@code System.getenv()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /** SSE-OSS master key rotation period; {@link Duration#ZERO} turns automatic rotation off. */
        public Builder serviceKeyRotationPeriod(Duration period) {
            Objects.requireNonNull(period, "serviceKeyRotationPeriod");
            if (period.isNegative()) {
                throw new IllegalArgumentException("serviceKeyRotationPeriod cannot be negative: " + period);
            }
            this.serviceKeyRotationPeriod = period;
            return this;
        }

        /** false: every KMS call answers 403 KmsServiceNotEnabled (SSE-OSS still works). */
        public Builder kmsEnabled(boolean enabled) {
            this.kmsEnabled = enabled;
            return this;
        }

        public Builder localBackend() {
            this.backend = Backend.LOCAL;
            this.pkcs11 = null;
            return this;
        }

        public Builder pkcs11Backend(Pkcs11Options options) {
            this.backend = Backend.PKCS11;
            this.pkcs11 = Objects.requireNonNull(options, "pkcs11 options");
            return this;
        }

        public Builder cache(DataKeyCacheOptions cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public KeyServicesOptions build() {
            if (backend == Backend.PKCS11 && pkcs11 == null) {
                throw new IllegalStateException("the PKCS11 backend needs Pkcs11Options");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new KeyServicesOptions(this);
        }
    }
}
