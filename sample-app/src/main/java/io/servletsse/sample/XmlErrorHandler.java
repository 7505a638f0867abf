package io.servletsse.sample;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty raises before the service sees the request (an unparseable URI or header, a
 * bad method) in the same OSS XML shape as the service's own, so an OSS client never meets an
 * HTML page (the SDK would report it as InvalidResponse).
 */
final class XmlErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String requestId = RequestIds.next();
        response.getHeaders().put(RequestIds.HEADER, requestId);
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return;
        }
        String host = request.getHeaders().get(HttpHeader.HOST); // as the service's own errors: the Host header
        ByteBuffer body = body(status, message, requestId, host == null ? "" : host);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/xml"));
        String requestId = RequestIds.next();
        fields.put(RequestIds.HEADER, requestId);
        return body(status, reason, requestId, "");
    }

    private static ByteBuffer body(int status, String message, String requestId, String host) {
        ServiceError e = new ServiceError(status, code(status), message == null ? "HTTP " + status : message);
        return ByteBuffer.wrap(ErrorResponses.body(e, requestId, host).getBytes(StandardCharsets.UTF_8));
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "InvalidArgument";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 413 -> "EntityTooLarge";
            case 414, 431 -> "RequestHeaderTooLarge";
            case 501 -> "NotImplemented";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalError" : "InvalidRequest";
        };
    }
}
