package io.servletsse.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.audit.AuditEvent;
import io.servletsse.auth.Caller;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One admin API call: who calls, the JSON body (bounded to {@value #MAX_BODY} bytes) or query
 * parameters, the permission checks, and the JSON answer. Errors are thrown as {@link SseException}
 * and rendered by {@link AdminEndpoints} as JSON (KMS OpenAPI shape: Code, Message, RequestId).
 */
final class ApiCall {
    static final int MAX_BODY = 16 * 1024;
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    final SseRuntime runtime;
    final HttpServletRequest req;
    final HttpServletResponse res;
    final String requestId;
    final Caller caller;
    final Permissions permissions;
    private JsonNode body;

    ApiCall(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, String requestId, Caller caller) {
        this.runtime = runtime;
        this.req = req;
        this.res = res;
        this.requestId = requestId;
        this.caller = caller;
        this.permissions = new Permissions(runtime, requestId, caller);
    }

    /** A parameter: from the JSON body of a POST, from the query string of a GET. Null if absent. */
    String param(String name) throws IOException {
        if ("POST".equals(req.getMethod())) {
            JsonNode v = body().get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                throw OssErrors.invalidArgument("The parameter " + name + " must be a string.");
            }
            return v.asText();
        }
        return queryParam(name);
    }

    String required(String name) throws IOException {
        String v = param(name);
        if (v == null || v.isEmpty()) {
            throw new SseException(400, "MissingParameter", "The parameter " + name + " is required.");
        }
        if (v.length() > 2048) {
            throw OssErrors.invalidArgument("The parameter " + name + " is too long.");
        }
        return v;
    }

    JsonNode node(String name) throws IOException {
        return body().get(name);
    }

    private String queryParam(String name) {
        String q = req.getQueryString();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(k).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OssErrors.invalidArgument("Malformed query string.");
        }
    }

    private JsonNode body() throws IOException {
        if (body == null) {
            if (req.getContentLengthLong() > MAX_BODY) {
                throw new SseException(413, "EntityTooLarge", "The request body is larger than " + MAX_BODY + " bytes.");
            }
            byte[] bytes;
            try (InputStream in = req.getInputStream()) {
                bytes = in.readNBytes(MAX_BODY + 1);
            }
            if (bytes.length > MAX_BODY) {
                throw new SseException(413, "EntityTooLarge", "The request body is larger than " + MAX_BODY + " bytes.");
            }
            try {
                body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new SseException(400, "MalformedJSON", "The request body is not valid JSON.");
            }
            if (body == null || !body.isObject()) {
                throw new SseException(400, "MalformedJSON", "The request body must be a JSON object.");
            }
        }
        return body;
    }

    /** A success audit line for an admin action. */
    void audited(String action, String bucket, String keyId, String detail) {
        runtime.audit().record(new AuditEvent(requestId, caller.name(), action, bucket, null, keyId,
                AuditEvent.Outcome.SUCCESS, detail));
    }

    /** A failure audit line (the action was allowed but failed, e.g. 409 Rejected.StateModifiedFailed). */
    void failed(String action, String bucket, String keyId, SseException e) {
        runtime.audit().failed(requestId, caller.name(), action, bucket, null, keyId, e.ossCode());
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    void ok(ObjectNode answer) throws IOException {
        answer.put("RequestId", requestId);
        write(res, 200, answer);
    }

    static void write(HttpServletResponse res, int status, ObjectNode answer) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(answer);
        res.setStatus(status);
        res.setContentType("application/json;charset=UTF-8");
        res.setContentLength(bytes.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(bytes);
        }
    }

    /** The JSON error body: {@code {"Code","Message","RequestId","HttpStatus"}}. */
    static void error(HttpServletResponse res, SseException e, String requestId) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("Code", e.ossCode());
        n.put("Message", e.getMessage());
        n.put("RequestId", requestId);
        n.put("HttpStatus", e.httpStatus());
        write(res, e.httpStatus(), n);
    }
}
