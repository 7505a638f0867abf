package io.servletsse.servlet;

import io.servletsse.engine.SseInfo;
import jakarta.servlet.http.HttpServletResponse;

/** Writes the SSE response headers of OSS PutObject/GetObject/HeadObject (OSS-WIRE.md 1.1). */
final class SseResponseHeaders {
    private SseResponseHeaders() {}

    static void set(HttpServletResponse res, SseInfo info) {
        res.setHeader(OssHeaders.SSE, info.algorithm());
        if (info.keyId() != null) {
            res.setHeader(OssHeaders.SSE_KEY_ID, info.keyId());
        }
        if (info.dataEncryption() != null) {
            res.setHeader(OssHeaders.SSE_DATA_ENCRYPTION, info.dataEncryption());
        }
    }
}
