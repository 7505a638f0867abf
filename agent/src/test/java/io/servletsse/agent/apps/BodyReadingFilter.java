package io.servletsse.agent.apps;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An app filter that reads the whole body before the servlet runs (as auditing or signature
 * filters do), through {@code getInputStream()} or, with {@code X-Read-With: reader}, through
 * {@code getReader()}, and hands the servlet a request replaying the bytes it read.
 */
public class BodyReadingFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        if (!"PUT".equals(req.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        if ("reader".equals(req.getHeader("X-Read-With"))) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            int n;
            while ((n = req.getReader().read(buf)) > 0) {
                sb.append(buf, 0, n);
            }
            body = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        } else {
            body = req.getInputStream().readAllBytes();
        }
        ((HttpServletResponse) response).setHeader("X-App-Filter-Read", Integer.toString(body.length));
        chain.doFilter(new Replay(req, body), response);
    }

    private static final class Replay extends HttpServletRequestWrapper {
        private final byte[] body;

        Replay(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public String getHeader(String name) {
            return "X-Read-With".equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener l) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
