package io.servletsse.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * The servlet-sse filter. Init params: {@code config} (path of the JSON configuration, or
 * {@code classpath:NAME}), {@code dataDirectory} (overrides the configuration's data directory).
 * Work in progress (issue 3).
 */
public class SseFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        throw new ServletException("servlet-sse filter not built yet (issue 3)");
    }
}
