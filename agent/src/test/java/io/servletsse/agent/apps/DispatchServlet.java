package io.servletsse.agent.apps;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Forwards ({@code mode=forward}) or includes ({@code mode=include}) every request to the rest of
 * its path: {@code /forward/b/k} is served as {@code /b/k} by the file servlet.
 */
public class DispatchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        var dispatcher = req.getRequestDispatcher(req.getPathInfo());
        if ("include".equals(getInitParameter("mode"))) {
            dispatcher.include(req, res);
        } else {
            dispatcher.forward(req, res);
        }
    }
}
