package io.servletsse.servlet;

import io.servletsse.engine.SseInfo;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The app's response to an encrypted upload: carries the SSE headers (OSS returns them on
 * PutObject), and never forwards what the app computed over the ciphertext as if it described the
 * plaintext: its ETag is mapped ({@link Etags}), its CRC-64 is replaced by the filter's CRC-64 of
 * the plaintext, and Content-MD5 / digests of the stored bytes are dropped.
 */
final class UploadResponse extends HttpServletResponseWrapper {
    private final SseInfo info;
    private final java.util.function.BooleanSupplier refused;
    private String plaintextCrc;

    /**
     * @param refused true once the filter has refused the upload body (wrong Content-MD5): from then
     *                on the app's response is swallowed, so that the filter can answer with the OSS error
     */
    UploadResponse(HttpServletResponse response, SseInfo info, java.util.function.BooleanSupplier refused) {
        super(response);
        this.info = info;
        this.refused = refused;
        SseResponseHeaders.set(response, info);
    }

    @Override
    public void setStatus(int sc) {
        if (!refused.getAsBoolean()) {
            super.setStatus(sc);
        }
    }

    @Override
    public void sendError(int sc, String msg) throws java.io.IOException {
        if (!refused.getAsBoolean()) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws java.io.IOException {
        if (!refused.getAsBoolean()) {
            super.sendError(sc);
        }
    }

    @Override
    public jakarta.servlet.ServletOutputStream getOutputStream() throws java.io.IOException {
        return refused.getAsBoolean() ? Streams.servletOutput(java.io.OutputStream.nullOutputStream()) : super.getOutputStream();
    }

    @Override
    public java.io.PrintWriter getWriter() throws java.io.IOException {
        return refused.getAsBoolean() ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : super.getWriter();
    }

    @Override
    public void flushBuffer() throws java.io.IOException {
        if (!refused.getAsBoolean()) {
            super.flushBuffer();
        }
    }

    /** Called when the whole plaintext has been read: the CRC-64 clients may check (unsigned decimal). */
    void plaintextComplete(String crc64) {
        plaintextCrc = crc64;
        if (crc64 != null && !isCommitted()) {
            super.setHeader(OssHeaders.CRC64, crc64);
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
        SseResponseHeaders.set((HttpServletResponse) getResponse(), info);
        if (plaintextCrc != null) {
            super.setHeader(OssHeaders.CRC64, plaintextCrc);
        }
    }

    /** The value to forward for an app header, or null to drop it. */
    private String map(String name, String value) {
        if (refused.getAsBoolean()) {
            return null;
        }
        if (value == null || !OssHeaders.describesStoredBytes(name)) {
            return value;
        }
        if (name.equalsIgnoreCase(OssHeaders.ETAG)) {
            return Etags.toClient(value);
        }
        if (name.equalsIgnoreCase(OssHeaders.CRC64)) {
            return plaintextCrc; // the app's describes the ciphertext
        }
        if (name.equalsIgnoreCase(OssHeaders.CONTENT_LENGTH) || name.equalsIgnoreCase(OssHeaders.CONTENT_RANGE)) {
            return value; // of the app's own response body, not of the object
        }
        return null; // Content-MD5 and digests of the stored bytes
    }
}
