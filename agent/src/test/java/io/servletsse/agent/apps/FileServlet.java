package io.servletsse.agent.apps;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ordinary upload/download servlet that knows nothing of encryption: PUT stores the body under
 * {@code <dataDir>/objects/<path>}, GET/HEAD serve it (one {@code bytes=a-b} range supported).
 * Init parameter {@code dataDir}. With the request header {@code X-Read-With: reader} it reads the
 * body through {@code getReader()} (as ISO-8859-1) instead of {@code getInputStream()}.
 */
public class FileServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private transient Path root;

    @Override
    public void init() {
        root = Path.of(getInitParameter("dataDir")).resolve("objects");
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Path file = file(req);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            if ("reader".equals(req.getHeader("X-Read-With"))) {
                BufferedReader r = req.getReader();
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0) {
                    out.write(new String(buf, 0, n).getBytes(StandardCharsets.ISO_8859_1));
                }
            } else {
                req.getInputStream().transferTo(out);
            }
        }
        res.setStatus(200);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Path file = file(req);
        if (!Files.isRegularFile(file)) {
            res.sendError(404);
            return;
        }
        long size = Files.size(file);
        long first = 0;
        long last = size - 1;
        String range = req.getHeader("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) {
                first = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            if (first >= size || first > last) {
                res.setHeader("Content-Range", "bytes */" + size);
                res.sendError(416);
                return;
            }
            res.setStatus(206);
            res.setHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        res.setContentType("application/octet-stream");
        res.setContentLengthLong(last - first + 1);
        if ("HEAD".equals(req.getMethod())) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(first);
            OutputStream out = res.getOutputStream();
            byte[] buf = new byte[8192];
            long left = last - first + 1;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /** The object path; for an include, the included path (the request's own path is the includer's). */
    private Path file(HttpServletRequest req) throws IOException {
        String path = (String) req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        if (path == null) {
            path = req.getPathInfo();
        }
        if (path == null || path.contains("..") || path.length() < 2) {
            throw new IOException("bad object path: " + path);
        }
        return root.resolve(path.substring(1));
    }
}
