package io.servletsse.console;

import io.servletsse.engine.SseRuntime;
import io.servletsse.error.SseException;
import io.servletsse.policy.PathMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host app's own buckets, for an OSS-style app ({@code admin.ossStyleApp}): the console asks
 * the app itself, with a server-side forward inside the web application (no network, no
 * credentials), for ListBuckets ({@code GET <prefix>}) and PutBucket ({@code PUT <prefix><bucket>}),
 * so the app creates its storage the way it always does. The filter never touches the app's
 * storage. The forwarded requests carry no body, no query and none of the console's headers.
 */
final class AppBuckets {
    /** The app's ListBuckets answer is a few KiB; longer is cut (names beyond are not listed). */
    private static final int MAX_LIST_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("<Bucket>\\s*(?:<[^>]*>[^<]*</[^>]*>\\s*)*?<Name>([a-z0-9-]{3,63})</Name>");
    private static final Pattern CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,64})</Code>");

    private final SseRuntime runtime;
    private final HttpServletRequest req;
    private final HttpServletResponse res;

    AppBuckets(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res) {
        this.runtime = runtime;
        this.req = req;
        this.res = res;
    }

    boolean available() {
        return runtime.config().admin().ossStyleApp();
    }

    List<String> list() throws IOException, ServletException {
        Captured r = dispatch("GET", runtime.paths().prefix());
        if (r.status != 200) {
            throw new SseException(502, "AppError", "The application's bucket list answered HTTP " + r.status + ".");
        }
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(r.text());
        while (m.find()) {
            if (PathMapper.isValidBucketName(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return new ArrayList<>(out);
    }

    void create(String bucket) throws IOException, ServletException {
        Captured r = dispatch("PUT", runtime.paths().prefix() + bucket);
        if (r.status >= 300) {
            Matcher m = CODE.matcher(r.text());
            String code = m.find() ? m.group(1) : "AppError";
            throw new SseException(r.status >= 400 && r.status < 600 ? r.status : 502, code,
                    "The application refused to create the bucket (HTTP " + r.status + ").");
        }
    }

    private Captured dispatch(String method, String path) throws IOException, ServletException {
        RequestDispatcher d = req.getServletContext().getRequestDispatcher(path);
        if (d == null) {
            throw new SseException(502, "AppError", "The application has no dispatcher for " + path + ".");
        }
        Captured captured = new Captured();
        CaptureResponse into = new CaptureResponse(res, captured);
        d.forward(new Bare(req, method), into);
        into.flushBuffer(); // an app that wrote through getWriter() and left the flush to the container
        return captured;
    }

    /** What the app answered. */
    static final class Captured {
        int status = 200;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    /** The forwarded request: another method, no body, no query, no content headers. */
    private static final class Bare extends HttpServletRequestWrapper {
        private static final Set<String> HIDDEN = Set.of("content-type", "content-length", "content-md5", "transfer-encoding",
                "cookie", "origin", "referer", "x-csrf-token", "authorization");
        private final String method;

        Bare(HttpServletRequest request, String method) {
            super(request);
            this.method = method;
        }

        @Override
        public String getMethod() {
            return method;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public int getContentLength() {
            return 0;
        }

        @Override
        public long getContentLengthLong() {
            return 0;
        }

        @Override
        public String getHeader(String name) {
            return HIDDEN.contains(name.toLowerCase(java.util.Locale.ROOT)) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HIDDEN.contains(name.toLowerCase(java.util.Locale.ROOT)) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> out = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String n = e.nextElement();
                if (!HIDDEN.contains(n.toLowerCase(java.util.Locale.ROOT))) {
                    out.add(n);
                }
            }
            return Collections.enumeration(out);
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream empty = new ByteArrayInputStream(new byte[0]);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return empty.read();
                }

                @Override
                public boolean isFinished() {
                    return true;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener l) {
                    throw new IllegalStateException("not supported");
                }
            };
        }
    }

    /** Captures status and body (bounded); nothing reaches the real response. */
    private static final class CaptureResponse extends HttpServletResponseWrapper {
        private final Captured into;
        private PrintWriter writer;

        /** Wraps the real response only so the container can dispatch; every write stays here. */
        CaptureResponse(HttpServletResponse real, Captured into) {
            super(real);
            this.into = into;
        }

        @Override
        public void setStatus(int sc) {
            into.status = sc;
        }

        @Override
        public void sendError(int sc) {
            into.status = sc;
        }

        @Override
        public void sendError(int sc, String msg) {
            into.status = sc;
        }

        @Override
        public int getStatus() {
            return into.status;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    if (into.body.size() < MAX_LIST_BYTES) {
                        into.body.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    into.body.write(b, off, Math.max(0, Math.min(len, MAX_LIST_BYTES - into.body.size())));
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                    throw new IllegalStateException("not supported");
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public void flushBuffer() {
            if (writer != null) {
                writer.flush();
            }
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void reset() {
            into.body.reset();
            into.status = 200;
        }

        @Override
        public void resetBuffer() {
            into.body.reset();
        }

        // Headers the app sets describe its own answer: kept nowhere.
        @Override
        public void setHeader(String name, String value) {}

        @Override
        public void addHeader(String name, String value) {}

        @Override
        public void setIntHeader(String name, int value) {}

        @Override
        public void addIntHeader(String name, int value) {}

        @Override
        public void setDateHeader(String name, long date) {}

        @Override
        public void addDateHeader(String name, long date) {}

        @Override
        public void setContentType(String type) {}

        @Override
        public void setContentLength(int len) {}

        @Override
        public void setContentLengthLong(long len) {}

        @Override
        public void setCharacterEncoding(String charset) {}
    }
}
