package io.servletsse.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail closed after start-up (AGENT-RESEARCH.md section 6): an agent jar whose jakarta layer is
 * missing starts (the configuration is fine) but cannot handle a request. Every upload must then
 * fail, however many arrive on the container's pooled threads, and nothing may be stored: a
 * failure of the agent is never turned into "let the request through".
 */
class BrokenAgentJarIT {
    private static final String LAYER_ENTRY = "inst/io/servletsse/agent/inst/jakarta/JakartaEntry.classdata";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void layerMissing_everyUploadFailsAndNothingIsStored() throws Exception {
        Path broken = copyWithout(Paths.agentJar(), dir.resolve("broken-agent.jar"), LAYER_ENTRY);
        Path data = dir.resolve("data");
        Path config = Configs.encryptEverything(dir, dir.resolve("sse"));
        try (ForkedApp app = ForkedApp.start(ForkedApp.command(ForkedApp.currentJava(),
                List.of("-javaagent:" + broken + "=config=" + config), "-cp", Paths.tomcatAppClassPath(),
                "io.servletsse.agent.apps.TomcatFileApp", "--port", "0", "--data-dir", data.toString()), dir)) {
            Http http = new Http(URI.create(app.awaitListening() + "/"));
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < 40; i++) {
                int status = http.put("bkt/obj-" + i, Objects.random(4096, i)).statusCode();
                statuses.merge(status, 1, Integer::sum);
            }
            assertThat(statuses).containsOnlyKeys(500);
            assertThat(storedFiles(data.resolve("objects"))).isEmpty();
            assertThat(app.output()).contains("JakartaEntry");
        }
    }

    private static List<Path> storedFiles(Path objects) throws IOException {
        if (!Files.exists(objects)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(objects)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static Path copyWithout(Path source, Path target, String entryToDrop) throws IOException {
        try (JarFile in = new JarFile(source.toFile());
                OutputStream os = Files.newOutputStream(target);
                JarOutputStream out = new JarOutputStream(os, in.getManifest())) {
            for (JarEntry e : in.stream().toList()) {
                if (e.getName().equals(entryToDrop) || e.getName().equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream is = in.getInputStream(e)) {
                    is.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }
}
