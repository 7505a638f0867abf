package io.servletsse.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SoftHSM2 token for tests: its own configuration and token directory under a temp dir,
 * initialised with {@code softhsm2-util --init-token}. The library reads {@code SOFTHSM2_CONF} from the
 * process environment, which a running JVM cannot change, so PKCS#11 scenarios run in a child JVM
 * started with it (see {@link Pkcs11KeyManagerTest}). Tokens must exist before that JVM loads the
 * library: SoftHSM2 lists its slots once, at C_Initialize, and SunPKCS11 initialises a module once.
 */
final class SoftHsm {
    static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"), Path.of("/usr/local/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib64/softhsm/libsofthsm2.so"));
    static final String USER_PIN = "1234";
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    final Path library;
    final long slot;
    final String label;
    final Path config;

    SoftHsm(Path library, long slot, String label, Path config) {
        this.library = library;
        this.slot = slot;
        this.label = label;
        this.config = config;
    }

    /** Why SoftHSM2 cannot be used here, or {@code null} if it can. */
    static String missing() {
        if (library() == null) {
            return "libsofthsm2.so not found in " + LIBRARIES;
        }
        try {
            Process p = new ProcessBuilder("softhsm2-util", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "softhsm2-util --version failed";
        } catch (IOException e) {
            return "softhsm2-util not on PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static Path library() {
        return LIBRARIES.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    /** Writes a configuration whose tokens live under {@code dir}. */
    static Path writeConfig(Path dir) throws IOException {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n"
                + "slots.removable = false\n");
        return conf;
    }

    /** Initialises a new token labelled {@code label} under configuration {@code config}. */
    static SoftHsm initToken(Path config, String label) throws IOException, InterruptedException {
        String out = run(config, "softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "5678", "--pin",
                USER_PIN);
        Matcher m = SLOT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot find the slot in: " + out);
        }
        return new SoftHsm(library(), Long.parseLong(m.group(1)), label, config);
    }

    /** Removes the token, as if it were pulled out of the reader. */
    void deleteToken() throws IOException, InterruptedException {
        run(config, "softhsm2-util", "--delete-token", "--token", label);
    }

    Pkcs11Options options() {
        return new Pkcs11Options(library, slot, USER_PIN.toCharArray());
    }

    static String run(Path config, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(Map.of("SOFTHSM2_CONF", config.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
