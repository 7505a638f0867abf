package io.servletsse.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A form upload as the app sees it: its body is the rewritten multipart stream, and every surface
 * that reads the body reads that stream — {@code getInputStream}/{@code getReader} (Commons
 * FileUpload, hand-written parsers) and {@code getParts}/{@code getPart}/{@code getParameter*}.
 * The last ones matter most: Tomcat and Jetty parse parts from their own connector stream, not
 * from a wrapper's {@code getInputStream()}, so a wrapper that only replaced the stream would hand
 * {@code getParts()} callers the plaintext. Here the parts are parsed from the rewritten body
 * ({@link MultipartParser} again), so what a part's {@code getInputStream()} gives is exactly what
 * the encrypted bucket must store.
 *
 * <p>The app needs no {@code @MultipartConfig} for this (the container's own parsing is never
 * used); relative {@link Part#write} names resolve against the context's temporary directory.
 */
final class MultipartRequest extends HttpServletRequestWrapper {
    /**
     * Most bytes of text fields {@code getParameter*()} will hold as strings, all fields together
     * (Tomcat's default {@code maxPostSize}): the container's own limits do not apply to a form
     * the filter parses, and a field is read whole into memory.
     */
    static final long MAX_PARAMETER_BYTES = 2L << 20;
    private final MultipartRewriter body;
    private final HeaderOverrides headers;
    private final Path tempDir;
    private ServletInputStream stream;
    private BufferedReader reader;
    private List<SpooledPart> parts;
    private Map<String, String[]> parameters;

    MultipartRequest(HttpServletRequest request, MultipartRewriter body, Path tempDir) {
        super(request);
        this.body = body;
        this.tempDir = tempDir;
        this.headers = new HeaderOverrides()
                .set("Content-Type", "multipart/form-data; boundary=" + body.boundary())
                .remove(OssHeaders.CONTENT_LENGTH)
                .remove(OssHeaders.CONTENT_MD5)
                .remove(OssHeaders.TRANSFER_ENCODING)
                .remove(OssHeaders.SSE)
                .remove(OssHeaders.SSE_KEY_ID)
                .remove(OssHeaders.SSE_DATA_ENCRYPTION);
    }

    /** The temporary directory of a context: the Servlet attribute, else java.io.tmpdir. */
    static Path tempDir(HttpServletRequest req) {
        Object dir = req.getServletContext() == null ? null
                : req.getServletContext().getAttribute("jakarta.servlet.context.tempdir");
        return dir instanceof File f ? f.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private HttpServletRequest original() {
        return (HttpServletRequest) getRequest();
    }

    @Override
    public String getContentType() {
        return headers.header(original(), "Content-Type");
    }

    @Override
    public String getHeader(String name) {
        return headers.header(original(), name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return headers.headers(original(), name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return headers.names(original());
    }

    @Override
    public int getIntHeader(String name) {
        String v = getHeader(name);
        return v == null ? -1 : Integer.parseInt(v.trim());
    }

    @Override
    public int getContentLength() {
        return -1;
    }

    @Override
    public long getContentLengthLong() {
        return -1;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called");
        }
        if (stream == null) {
            // After getParts() the body has been read: an empty stream, as the containers give.
            stream = Streams.servletInput(parts != null ? InputStream.nullInputStream() : body);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (stream != null) {
            throw new IllegalStateException("getInputStream() has already been called");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(parts != null ? InputStream.nullInputStream() : body,
                    StandardCharsets.ISO_8859_1));
        }
        return reader;
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        return Collections.unmodifiableList(new ArrayList<>(parsedParts()));
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        for (SpooledPart p : parsedParts()) {
            if (p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private List<SpooledPart> parsedParts() throws IOException {
        if (parts != null) {
            return parts;
        }
        if (stream != null || reader != null) {
            throw new IllegalStateException("the body has already been read through getInputStream()/getReader()");
        }
        List<SpooledPart> out = new ArrayList<>();
        try {
            MultipartParser p = new MultipartParser(body, body.boundary().getBytes(StandardCharsets.US_ASCII));
            for (MultipartParser.PartHead head = p.next(); head != null; head = p.next()) {
                out.add(SpooledPart.spool(head, p.content(), tempDir));
            }
        } catch (io.servletsse.error.SseException e) {
            deleteAll(out);
            throw new RefusedUploadException(e);
        } catch (IOException | RuntimeException e) {
            deleteAll(out); // a refused or broken form leaves no temporary file behind
            throw e;
        }
        parts = out;
        return parts;
    }

    /** Deletes the temporary files of the parts (at the end of the request). */
    void cleanUp() {
        if (parts != null) {
            deleteAll(parts);
        }
    }

    private static void deleteAll(List<SpooledPart> parts) {
        for (SpooledPart p : parts) {
            try {
                p.delete();
            } catch (IOException ignored) {
                // best effort: a temp file that cannot be deleted holds no plaintext of an encrypted part
            }
        }
    }

    // Parameters: the query string's, plus the text fields of the form (parsed from the rewritten body).

    @Override
    public String getParameter(String name) {
        String[] v = parameters().get(name);
        return v == null ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] v = parameters().get(name);
        return v == null ? null : v.clone();
    }

    private Map<String, String[]> parameters() {
        if (parameters != null) {
            return parameters;
        }
        Map<String, List<String>> all = new LinkedHashMap<>();
        QueryString.parse(original().getQueryString()).forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>())
                .addAll(List.of(v)));
        if (stream == null && reader == null) {
            try {
                Charset cs = charset();
                long left = MAX_PARAMETER_BYTES;
                for (SpooledPart p : parsedParts()) {
                    if (p.getSubmittedFileName() == null) {
                        left -= p.getSize();
                        if (left < 0) {
                            throw new IllegalStateException("servlet-sse: the form's text fields exceed "
                                    + MAX_PARAMETER_BYTES + " bytes; read them with getParts() instead");
                        }
                        all.computeIfAbsent(p.getName(), x -> new ArrayList<>()).add(p.text(cs));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("servlet-sse: the form could not be read: " + e.getMessage(), e);
            }
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        all.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
        parameters = Collections.unmodifiableMap(out);
        return parameters;
    }

    private Charset charset() {
        String enc = original().getCharacterEncoding();
        try {
            return enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
