package io.servletsse.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.BooleanSupplier;

/**
 * The app's response to a form upload. Once the filter has refused the form, everything the app
 * answers is swallowed, so the filter can answer the OSS error (the app typically reports the
 * failed read as its own 500). Once a part has been encrypted, headers that describe the stored
 * bytes are mapped as for a PUT: the ETag gets the {@code -sse} suffix, CRC-64 and digests of the
 * ciphertext are dropped.
 */
class RefusableResponse extends HttpServletResponseWrapper {
    private final BooleanSupplier refused;
    private final BooleanSupplier encrypted;

    RefusableResponse(HttpServletResponse response, BooleanSupplier refused, BooleanSupplier encrypted) {
        super(response);
        this.refused = refused;
        this.encrypted = encrypted;
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
        return refused.getAsBoolean() ? Streams.servletOutput(OutputStream.nullOutputStream()) : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return refused.getAsBoolean() ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
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

    /** The value to forward for an app header, or null to drop it. */
    private String map(String name, String value) {
        if (refused.getAsBoolean()) {
            return null;
        }
        if (value == null || !encrypted.getAsBoolean() || !OssHeaders.describesStoredBytes(name)) {
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
