package io.servletsse.agent.apps;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stores the body from another thread after {@code startAsync()}: {@code /async/<key>} → objects/async/<key>. */
public class AsyncServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse res) {
        AsyncContext async = req.startAsync();
        async.start(() -> {
            try (InputStream in = async.getRequest().getInputStream()) {
                Path file = Path.of(getInitParameter("dataDir")).resolve("objects/async").resolve(req.getPathInfo().substring(1));
                Files.createDirectories(file.getParent());
                Files.copy(in, file);
                ((HttpServletResponse) async.getResponse()).setStatus(200);
            } catch (IOException e) {
                ((HttpServletResponse) async.getResponse()).setStatus(500);
            }
            async.complete();
        });
    }
}
