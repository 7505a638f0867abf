package io.servletsse.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app in its own JVM (stdout and stderr merged), started with a command line the test builds.
 * {@link #awaitListening()} waits for the app's "listening on http://HOST:PORT" line;
 * {@link #awaitExit()} for a JVM that is expected to stop by itself. The waits are bounded only as
 * a guard against a hung JVM: nothing is asserted about how long anything takes.
 */
final class ForkedApp implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^\\s/]+)");
    private static final long GUARD_SECONDS = 90;

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<URI> listening = new CompletableFuture<>();
    private final Thread reader;

    private ForkedApp(Process process) {
        this.process = process;
        reader = new Thread(this::pump, "forked-app-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} with the working directory {@code dir}. */
    static ForkedApp start(List<String> command, Path dir) throws IOException {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("SERVLETSSE_CONFIG");
        pb.environment().remove("SERVLETSSE_FAIL_MODE");
        return new ForkedApp(pb.start());
    }

    /** The app's base URI (no trailing slash), once it says it is listening. */
    URI awaitListening() throws InterruptedException {
        try {
            return listening.get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the app did not start listening; its output:\n" + output(), e);
        }
    }

    /** The exit status of a JVM that stops by itself; its output is then complete (read to EOF). */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the JVM did not exit; its output:\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS)); // the last lines may still be in the pipe
        return process.exitValue();
    }

    /** Waits (bounded) until the JVM has printed a line containing {@code text}. */
    void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS); // a bound against a hang
        while (lines.stream().noneMatch(l -> l.contains(text))) {
            if (System.nanoTime() > deadline || !reader.isAlive() && lines.stream().noneMatch(l -> l.contains(text))) {
                throw new IllegalStateException("the JVM never printed '" + text + "'; its output:\n" + output());
            }
            Thread.sleep(10);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Everything the JVM has printed so far. */
    String output() {
        return String.join("\n", lines);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            lines.add("(output lost: " + e + ")");
        }
        listening.completeExceptionally(new IllegalStateException("the JVM exited"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code java} of the JDK running the tests, or of another JDK home. */
    static String java(Path jdkHome) {
        return jdkHome.resolve("bin").resolve("java").toString();
    }

    static String currentJava() {
        return java(Path.of(System.getProperty("java.home")));
    }

    /** A command: {@code java [jvmArgs...] rest...}. */
    static List<String> command(String java, List<String> jvmArgs, String... rest) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmArgs);
        c.addAll(List.of(rest));
        return c;
    }
}
