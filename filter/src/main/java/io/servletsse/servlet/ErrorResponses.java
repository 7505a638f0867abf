package io.servletsse.servlet;

import io.servletsse.error.SseException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The one place that renders errors: OSS error XML ({@code Code}, {@code Message}, {@code RequestId},
 * {@code HostId}), no namespace (the OSS Java SDK reads elements in no namespace only), and no body
 * for HEAD (OSS-WIRE.md 2.5).
 */
final class ErrorResponses {
    private static final SecureRandom IDS = new SecureRandom();

    private ErrorResponses() {}

    /** A request id in the shape OSS uses (24 upper-case hex characters). */
    static String newRequestId() {
        byte[] b = new byte[12];
        IDS.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** Writes {@code e} as the whole response. The response must not be committed. */
    static void write(HttpServletResponse res, SseException e, String requestId, String host, boolean head)
            throws IOException {
        write(res, e, requestId, host, head, java.util.Map.of());
    }

    /** As {@link #write(HttpServletResponse, SseException, String, String, boolean)}, plus {@code headers}. */
    static void write(HttpServletResponse res, SseException e, String requestId, String host, boolean head,
            java.util.Map<String, String> headers) throws IOException {
        res.reset();
        res.setStatus(e.httpStatus());
        headers.forEach(res::setHeader);
        res.setHeader(OssHeaders.REQUEST_ID, requestId);
        byte[] body = xml(e.ossCode(), e.getMessage(), requestId, host).getBytes(StandardCharsets.UTF_8);
        if (head) {
            // A HEAD answer has no body: OSS repeats the error XML, base64, in x-oss-err, which the SDKs
            // read for the code (without it the Java SDK reports a 403 as "AccessForbidden").
            res.setHeader(OssHeaders.ERR, java.util.Base64.getEncoder().encodeToString(body));
            res.setContentLength(0);
            return;
        }
        res.setContentType("application/xml");
        res.setContentLength(body.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(body);
        }
    }

    static String xml(String code, String message, String requestId, String host) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n"
                + "  <Code>" + escape(code) + "</Code>\n"
                + "  <Message>" + escape(message) + "</Message>\n"
                + "  <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "  <HostId>" + escape(host == null ? "" : host) + "</HostId>\n"
                + "</Error>\n";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append(' '); // not representable in XML 1.0
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
