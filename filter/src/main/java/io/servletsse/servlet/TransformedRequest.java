package io.servletsse.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * The request as the app sees it: headers overridden, optionally another method (HEAD probed as a
 * ranged GET) and another body (the encrypted object). When the body is replaced, every surface
 * that could read the original body is covered: the length getters and header, getReader, and
 * getParameter and getParts — Tomcat parses form and multipart bodies from the connector stream, not
 * from getInputStream(), so those would otherwise hand the app the plaintext (AGENT-RESEARCH.md 5).
 */
final class TransformedRequest extends HttpServletRequestWrapper {
    private final HeaderOverrides headers;
    private final String method;
    private final InputStream body;
    private final java.util.function.LongSupplier contentLength;
    private ServletInputStream servletBody;
    private BufferedReader reader;
    private Map<String, String[]> queryParameters;

    /**
     * @param method        method the app sees, or null for the request's own
     * @param body          body the app reads, or null for the request's own
     * @param contentLength length of {@code body} (-1 unknown); ignored if {@code body} is null
     */
    TransformedRequest(HttpServletRequest request, HeaderOverrides headers, String method, InputStream body,
            java.util.function.LongSupplier contentLength) {
        super(request);
        this.headers = headers;
        this.method = method;
        this.body = body;
        this.contentLength = contentLength;
    }

    HttpServletRequest original() {
        return (HttpServletRequest) getRequest();
    }

    @Override
    public String getMethod() {
        return method != null ? method : super.getMethod();
    }

    @Override
    public String getHeader(String name) {
        if (body != null && OssHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
            long n = contentLength.getAsLong();
            return n < 0 ? null : Long.toString(n);
        }
        return headers.header(original(), name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (body != null && OssHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
            String v = getHeader(name);
            return v == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(v));
        }
        return headers.headers(original(), name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (body != null) {
            // Content-Length is computed: present exactly when the length is known.
            if (contentLength.getAsLong() >= 0) {
                headers.set(OssHeaders.CONTENT_LENGTH, Long.toString(contentLength.getAsLong()));
            } else {
                headers.remove(OssHeaders.CONTENT_LENGTH);
            }
        }
        return headers.names(original());
    }

    @Override
    public int getIntHeader(String name) {
        String v = getHeader(name);
        return v == null ? -1 : Integer.parseInt(v.trim());
    }

    @Override
    public long getDateHeader(String name) {
        if (headers.touches(name)) {
            // Removed (a probe drops the client's conditionals): absent, -1 as the Servlet contract says.
            String v = getHeader(name);
            return v == null ? -1 : HttpDates.parse(v);
        }
        return super.getDateHeader(name);
    }

    @Override
    public int getContentLength() {
        long n = getContentLengthLong();
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    public long getContentLengthLong() {
        return body != null ? contentLength.getAsLong() : super.getContentLengthLong();
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (body == null) {
            return super.getInputStream();
        }
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called");
        }
        if (servletBody == null) {
            servletBody = Streams.servletInput(body);
        }
        return servletBody;
    }

    /**
     * The encrypted body is binary: the reader maps bytes 1:1 to chars (ISO-8859-1), so an app that
     * copies chars back out as ISO-8859-1 stores the object intact.
     */
    @Override
    public BufferedReader getReader() throws IOException {
        if (body == null) {
            return super.getReader();
        }
        if (servletBody != null) {
            throw new IllegalStateException("getInputStream() has already been called");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.ISO_8859_1));
        }
        return reader;
    }

    // With a replaced body, parameters come from the query string only: the body is the object.

    @Override
    public String getParameter(String name) {
        if (body == null) {
            return super.getParameter(name);
        }
        String[] v = queryParameters().get(name);
        return v == null ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return body == null ? super.getParameterMap() : queryParameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return body == null ? super.getParameterNames() : Collections.enumeration(queryParameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        if (body == null) {
            return super.getParameterValues(name);
        }
        String[] v = queryParameters().get(name);
        return v == null ? null : v.clone();
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        if (body != null) {
            throw new ServletException("servlet-sse: this request's body is an encrypted object, not a multipart form");
        }
        return super.getParts();
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        if (body != null) {
            throw new ServletException("servlet-sse: this request's body is an encrypted object, not a multipart form");
        }
        return super.getPart(name);
    }

    private Map<String, String[]> queryParameters() {
        if (queryParameters == null) {
            queryParameters = QueryString.parse(original().getQueryString());
        }
        return queryParameters;
    }
}
