package io.servletsse.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample app in its own JVM ({@code java <flags> -jar servlet-sse-sample-app.jar --port 0 ...}). */
final class AppProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    final String name;
    final boolean filter;
    final Process process;
    final int port;
    final Path log;

    AppProcess(String name, Path jar, List<String> jvmFlags, Path dataDir, boolean filter, Path logDir) throws IOException {
        this.name = name;
        this.filter = filter;
        Files.createDirectories(dataDir);
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("--port");
        cmd.add("0");
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        if (!filter) {
            cmd.add("--no-filter");
        }
        log = logDir.resolve(name + ".log");
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        Matcher m = null;
        while ((line = r.readLine()) != null) { // JFR, for one, prints its own lines first
            m = LISTENING.matcher(line);
            if (m.find()) {
                break;
            }
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (" + line + "); see " + log + "; command: " + cmd);
        }
        port = Integer.parseInt(m.group(1));
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name + "-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time the process has used so far (user + system, all threads), in ms, from /proc/PID/stat
     * (clock ticks of 10 ms); -1 where /proc is missing. Per request or per MB it hardly depends on
     * what else the machine runs, unlike req/s and MB/s.
     */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // fields 14, 15 of stat(5); CLK_TCK 100
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Peak resident set size of the process so far (VmHWM), in KiB; -1 where /proc is missing. */
    long peakRssKib() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the app's shutdown hook stops Jetty (and JFR dumps its recording)
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
