package io.servletsse.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Agent configurations written into a test's temporary directory (the filter's JSON format). */
final class Configs {
    private Configs() {}

    /** The sample app's configuration shape: None by default, buckets plain, aes256, sm4. */
    static Path sampleApp(Path dir, Path sseData) throws IOException {
        return write(dir.resolve("sse.json"), """
                {
                  "dataDirectory": "%s",
                  "paths": { "prefix": "/" },
                  "defaultEncryption": { "SSEAlgorithm": "None" },
                  "buckets": {
                    "plain":  { "SSEAlgorithm": "None" },
                    "aes256": { "SSEAlgorithm": "AES256" },
                    "sm4":    { "SSEAlgorithm": "SM4" }
                  }
                }
                """.formatted(json(sseData)));
    }

    /** Every bucket AES256 by default: the test apps know nothing of buckets. */
    static Path encryptEverything(Path dir, Path sseData) throws IOException {
        return write(dir.resolve("sse.json"), """
                {
                  "dataDirectory": "%s",
                  "paths": { "prefix": "/" },
                  "defaultEncryption": { "SSEAlgorithm": "AES256" }
                }
                """.formatted(json(sseData)));
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String json(Path p) {
        return p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
