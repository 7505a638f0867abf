package io.servletsse.servlet;

import io.servletsse.engine.SseInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.BooleanSupplier;

/**
 * The app's response to an encrypted upload: carries the SSE headers (OSS returns them on
 * PutObject, with a 2xx answer: {@link RefusableResponse}), and never forwards what the app
 * computed over the ciphertext as if it described the plaintext: its ETag is mapped
 * ({@link Etags}), its CRC-64 is replaced by the filter's CRC-64 of the plaintext, and Content-MD5
 * / digests of the stored bytes are dropped. Once the filter has refused the body (wrong
 * Content-MD5) the app's answer is swallowed, as for a refused form.
 */
final class UploadResponse extends RefusableResponse {
    private String plaintextCrc;

    UploadResponse(HttpServletResponse response, SseInfo info, BooleanSupplier refused) {
        super(response, refused, () -> info);
    }

    /** Called when the whole plaintext has been read: the CRC-64 clients may check (unsigned decimal). */
    void plaintextComplete(String crc64) {
        plaintextCrc = crc64;
        if (described() && !isCommitted()) {
            describe((HttpServletResponse) getResponse()); // the SSE headers went out before the CRC was known
        }
    }

    @Override
    void describe(HttpServletResponse real) {
        if (plaintextCrc != null) {
            real.setHeader(OssHeaders.CRC64, plaintextCrc);
        }
    }

    @Override
    String mapStoredBytesHeader(String name, String value) {
        if (name.equalsIgnoreCase(OssHeaders.CRC64)) {
            return plaintextCrc; // the app's describes the ciphertext
        }
        return super.mapStoredBytesHeader(name, value);
    }
}
