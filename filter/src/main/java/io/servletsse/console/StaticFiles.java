package io.servletsse.console;

import io.servletsse.error.SseException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The console's three files, from the jar (no build step). Only these names are served. */
final class StaticFiles {
    private static final Map<String, String> FILES = Map.of(
            "", "text/html;charset=UTF-8",
            "index.html", "text/html;charset=UTF-8",
            "console.js", "text/javascript;charset=UTF-8",
            "console.css", "text/css;charset=UTF-8");

    private StaticFiles() {}

    static void serve(HttpServletRequest req, HttpServletResponse res, String name) throws IOException {
        String type = FILES.get(name);
        if (type == null || !"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            throw new SseException(404, "NotFound", "No such console file.");
        }
        String resource = name.isEmpty() ? "index.html" : name;
        byte[] bytes;
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SseException(500, "InternalError", "The console file " + resource + " is missing from the jar.");
            }
            bytes = in.readAllBytes();
        }
        res.setStatus(200);
        res.setContentType(type);
        res.setContentLength(bytes.length);
        if ("GET".equals(req.getMethod())) {
            try (OutputStream out = res.getOutputStream()) {
                out.write(bytes);
            }
        }
    }
}
