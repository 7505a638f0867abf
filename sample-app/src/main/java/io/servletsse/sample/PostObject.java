package io.servletsse.sample;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OSS PostObject: a browser form ({@code multipart/form-data}) posted to {@code /{bucket}} with a
 * {@code key} field ({@code ${filename}} is replaced by the file's name) and a {@code file} part.
 * Parsed with the Servlet API's {@code getParts()}; like the rest of this service it knows nothing of
 * encryption and stores the file part's bytes as they come. Answers 204 (OSS default), or
 * {@code success_action_status} 200/201, or a 303 to {@code success_action_redirect} when that is one
 * of this app's own pages ({@code /ui/...}; anything else would be an open redirect).
 */
final class PostObject {
    private final ObjectStore store;

    PostObject(ObjectStore store) {
        this.store = store;
    }

    static boolean isForm(HttpServletRequest req) {
        String ct = req.getContentType();
        return ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    void handle(HttpServletRequest req, HttpServletResponse resp, String bucket) throws IOException {
        store.bucket(bucket); // NoSuchBucket before reading the form
        Map<String, String> fields = new LinkedHashMap<>();
        Part file = null;
        try {
            for (Part p : req.getParts()) {
                if (p.getSubmittedFileName() == null) {
                    try (InputStream in = p.getInputStream()) {
                        fields.put(p.getName(), new String(in.readNBytes(4096), StandardCharsets.UTF_8));
                    }
                } else if ("file".equals(p.getName())) {
                    file = p;
                }
            }
        } catch (ServletException | IllegalStateException e) {
            throw ServiceError.invalidArgument("The body of your POST request is not well-formed multipart/form-data.");
        }
        if (file == null || file.getSubmittedFileName().isEmpty()) {
            throw ServiceError.invalidArgument("The form has no file.");
        }
        String key = fields.getOrDefault("key", "${filename}");
        String name = file.getSubmittedFileName();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        key = key.replace("${filename}", name);
        if (key.isEmpty()) {
            throw ServiceError.invalidArgument("The key field is empty.");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (file.getContentType() != null && !file.getContentType().isEmpty()) {
            headers.put("Content-Type", file.getContentType());
        }
        StoredObject o;
        try (InputStream in = file.getInputStream()) {
            o = store.put(ObjectPath.ofKey(bucket, key), in, null, headers);
        }
        resp.setHeader("ETag", o.quotedEtag());
        String redirect = fields.get("success_action_redirect");
        if (redirect != null && redirect.startsWith("/ui/") && !redirect.startsWith("//") && redirect.indexOf('\\') < 0) {
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", redirect);
            resp.setContentLength(0);
            return;
        }
        String status = fields.get("success_action_status");
        resp.setStatus("200".equals(status) ? 200 : "201".equals(status) ? 201 : HttpServletResponse.SC_NO_CONTENT);
        resp.setContentLength(0);
    }
}
