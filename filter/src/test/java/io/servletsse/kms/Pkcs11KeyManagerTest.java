package io.servletsse.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link Pkcs11Scenarios} against real SoftHSM2 tokens, in a child JVM whose environment has
 * {@code SOFTHSM2_CONF} pointing at a temp directory (the library reads it at load time, and a JVM
 * cannot change its own environment). Skips when SoftHSM2 is not installed, except under CI=true,
 * where it fails: CI must not skip the HSM tests.
 */
final class Pkcs11KeyManagerTest {
    @TempDir
    Path dir;

    @Test
    void pkcs11Scenarios_passAgainstARealSoftHsm2Token() throws Exception {
        String missing = SoftHsm.missing();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI must run the PKCS#11 tests, but SoftHSM2 is unusable: " + missing
                        + " (install it: apt-get install -y softhsm2)");
            }
            Assumptions.abort("SoftHSM2 is not installed (" + missing + "); apt-get install -y softhsm2 to run the "
                    + "PKCS#11 tests");
        }
        Path conf = SoftHsm.writeConfig(dir);
        SoftHsm main = SoftHsm.initToken(conf, "sse-main");
        SoftHsm removable = SoftHsm.initToken(conf, "sse-removable");
        Class<?> launcher = Class.forName("org.junit.platform.launcher.core.LauncherFactory");
        String classPath = System.getProperty("java.class.path") + File.pathSeparator
                + Path.of(launcher.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + dir, "-D" + Pkcs11Scenarios.SLOT + "=" + main.slot,
                "-D" + Pkcs11Scenarios.REMOVABLE_SLOT + "=" + removable.slot,
                "-D" + Pkcs11Scenarios.REMOVABLE_LABEL + "=" + removable.label, "-cp", classPath, JUnitInChildJvm.class.getName(),
                Pkcs11Scenarios.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SOFTHSM2_CONF", conf.toString());

        Process child = pb.start();
        boolean done = child.waitFor(10, TimeUnit.MINUTES); // a bound against a hang, not a timing assertion
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(done).as("child JVM finished; output:%n%s", output).isTrue();
        assertThat(output).contains("CHILD RESULT");
        assertThat(child.exitValue()).as("scenarios failed or were skipped; output:%n%s", output).isZero();
    }
}
