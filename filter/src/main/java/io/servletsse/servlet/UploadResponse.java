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
    private String plaintextCrc;

    UploadResponse(HttpServletResponse response, SseInfo info) {
        super(response);
        this.info = info;
        SseResponseHeaders.set(response, info);
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
