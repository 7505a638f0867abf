package io.servletsse.servlet;

import io.servletsse.engine.SseInfo;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The app's response to a form upload. Once the filter has refused the form, everything the app
 * answers is swallowed, so the filter can answer the OSS error (the app typically reports the
 * failed read as its own 500). Once a part has been encrypted, headers that describe the stored
 * bytes are mapped as for a PUT: the ETag gets the {@code -sse} suffix, CRC-64 and digests of the
 * ciphertext are dropped.
 *
 * <p>The SSE headers describe a stored object, so they go out only with a 2xx answer (OSS sends
 * none with an error such as {@code NoSuchBucket}): they are set just before anything the app does
 * can commit the response (its body stream or writer, a flush; for a form whose app took them
 * before reading it, when its first file part is encrypted), or when it returns, and never with
 * {@code sendError} (UploadCommitPathsTest lists the ways an app commits). Tomcat cannot remove a
 * header once set, so an app that takes its body stream first and sets an error status afterwards
 * still sends them.
 */
class RefusableResponse extends HttpServletResponseWrapper {
    private final BooleanSupplier refused;
    private final Supplier<SseInfo> stored;
    private boolean described;
    /** The app has taken its body stream or writer, or flushed: what commits the response next passes no hook. */
    private boolean bodyStarted;

    /**
     * @param refused whether the filter has refused the body (then the app's answer is swallowed)
     * @param stored  how the app's object is encrypted, null while nothing has been encrypted
     */
    RefusableResponse(HttpServletResponse response, BooleanSupplier refused, Supplier<SseInfo> stored) {
        super(response);
        this.refused = refused;
        this.stored = stored;
    }

    /** The app has returned and its object is stored: a response it left uncommitted is described now. */
    final void appReturned() {
        describeStoredObject();
    }

    /**
     * A form's first file part has just been encrypted: if the app took its writer before it read
     * the form, nothing else before the commit would describe the object, so it is described now.
     */
    final void objectEncrypted() {
        if (bodyStarted) {
            describeStoredObject();
        }
    }

    /** Whether the SSE headers have gone to the response. */
    final boolean described() {
        return described;
    }

    /** Sets what else describes the stored object on {@code real}, with the SSE headers. */
    void describe(HttpServletResponse real) {}

    private void describeStoredObject() {
        if (described || refused.getAsBoolean() || isCommitted()) {
            return;
        }
        int status = getStatus();
        SseInfo info = stored.get();
        if (status < 200 || status > 299 || info == null) {
            return;
        }
        HttpServletResponse real = (HttpServletResponse) getResponse();
        SseResponseHeaders.set(real, info);
        // During a Tomcat include, the response under this wrapper is the include's, which drops
        // every header: then the object is described when the app returns.
        described = real.containsHeader(OssHeaders.SSE);
        if (described) {
            describe(real);
        }
    }

    private void startBody() {
        describeStoredObject();
        bodyStarted = true;
    }

    @Override
    public void setStatus(int sc) {
        if (!refused.getAsBoolean()) {
            super.setStatus(sc);
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (!refused.getAsBoolean()) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        if (!refused.getAsBoolean()) {
            super.sendError(sc);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (!refused.getAsBoolean()) {
            super.sendRedirect(location);
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        startBody();
        return refused.getAsBoolean() ? Streams.servletOutput(OutputStream.nullOutputStream()) : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        startBody();
        return refused.getAsBoolean() ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        startBody();
        if (!refused.getAsBoolean()) {
            super.flushBuffer();
        }
    }

    @Override
    public void setHeader(String name, String value) {
        String v = map(name, value);
        if (v != null) {
            super.setHeader(name, v);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        String v = map(name, value);
        if (v != null) {
            super.addHeader(name, v);
        }
    }

    @Override
    public void reset() {
        super.reset();
        described = false; // the headers went with the reset: described again as a fresh answer
    }

    /** The value to forward for an app header, or null to drop it. */
    private String map(String name, String value) {
        if (refused.getAsBoolean()) {
            return null;
        }
        if (value == null || stored.get() == null || !OssHeaders.describesStoredBytes(name)) {
            return value;
        }
        return mapStoredBytesHeader(name, value);
    }

    /**
     * An app header that describes the stored (encrypted) bytes: the ETag is mapped, the length
     * headers of the app's own response body pass, digests and checksums of the ciphertext are
     * dropped (null).
     */
    String mapStoredBytesHeader(String name, String value) {
        if (name.equalsIgnoreCase(OssHeaders.ETAG)) {
            return Etags.toClient(value);
        }
        if (name.equalsIgnoreCase(OssHeaders.CONTENT_LENGTH) || name.equalsIgnoreCase(OssHeaders.CONTENT_RANGE)) {
            return value; // of the app's own response body
        }
        return null;
    }
}
