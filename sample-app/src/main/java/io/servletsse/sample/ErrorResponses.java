package io.servletsse.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes errors the way OSS does: status, {@code x-oss-request-id}, and an XML body
 * {@code <Error><Code/><Message/><RequestId/><HostId/></Error>} (for HEAD no body: the XML, base64, in {@code x-oss-err}).
 */
final class ErrorResponses {
    private ErrorResponses() {}

    static void send(HttpServletRequest request, HttpServletResponse response, String requestId, ServiceError error)
            throws IOException {
        if (response.isCommitted()) {
            return; // headers already went out with a success status: nothing truthful left to say
        }
        response.reset();
        response.setStatus(error.status());
        response.setHeader(RequestIds.HEADER, requestId);
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        byte[] body = body(error, requestId, hostId(request)).getBytes(StandardCharsets.UTF_8);
        if ("HEAD".equals(request.getMethod())) {
            // No body on HEAD: OSS repeats the error XML, base64, in x-oss-err (the SDKs read it there).
            response.setHeader("x-oss-err", java.util.Base64.getEncoder().encodeToString(body));
            response.setContentLength(0);
            return;
        }
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String body(ServiceError error, String requestId, String hostId) {
        return new Xml().open("Error")
                .element("Code", error.code())
                .element("Message", error.getMessage())
                .element("RequestId", requestId)
                .element("HostId", hostId)
                .close("Error")
                .toString();
    }

    private static String hostId(HttpServletRequest request) {
        String host = request.getHeader("Host");
        return host != null ? host : request.getServerName();
    }
}
