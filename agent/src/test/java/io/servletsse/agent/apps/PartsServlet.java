package io.servletsse.agent.apps;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A form upload endpoint: every part of a multipart POST is stored as {@code <dataDir>/objects/form/<part name>}. */
public class PartsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Path dir = Path.of(getInitParameter("dataDir")).resolve("objects").resolve("form");
        Files.createDirectories(dir);
        for (Part p : req.getParts()) {
            try (InputStream in = p.getInputStream()) {
                Files.copy(in, dir.resolve(p.getName()));
            }
        }
        res.setStatus(200);
    }
}
