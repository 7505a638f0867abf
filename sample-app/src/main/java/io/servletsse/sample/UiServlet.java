package io.servletsse.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sample app's pages for people with a browser, under {@code /ui/} ("ui" can never be a bucket:
 * OSS names have at least 3 characters): {@code /ui/} lists the buckets, {@code /ui/b/<bucket>} lists a
 * bucket's files with download links and has the upload form (posted to {@code /<bucket>}, OSS
 * PostObject). Server-rendered, every value HTML-escaped, no script. Like the whole app it knows
 * nothing of encryption: it lists what it stores, and downloads go through the normal GET.
 */
final class UiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ObjectStore store;

    UiServlet(ObjectStore store) {
        this.store = store;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        StringBuilder html = new StringBuilder();
        if (path.equals("/")) {
            buckets(html);
        } else if (path.startsWith("/b/") && path.length() > 3) {
            String bucket = path.substring(3);
            if (!store.bucketExists(bucket) || bucket.contains("/")) {
                resp.sendError(404);
                return;
            }
            files(html, bucket);
        } else {
            resp.sendError(404);
            return;
        }
        byte[] body = page(html.toString()).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private void buckets(StringBuilder html) throws IOException {
        html.append("<h1>Buckets</h1><ul id=\"buckets\">");
        for (ObjectStore.Bucket b : store.buckets()) {
            html.append("<li><a href=\"/ui/b/").append(esc(b.name())).append("\">").append(esc(b.name())).append("</a></li>");
        }
        html.append("</ul><p>Create buckets and set their server-side encryption in the "
                + "<a href=\"/_servlet-sse/console/\">servlet-sse console</a> (when the filter is on).</p>");
    }

    private void files(StringBuilder html, String bucket) throws IOException {
        String b = esc(bucket);
        html.append("<p><a href=\"/ui/\">All buckets</a></p><h1>Bucket ").append(b).append("</h1>");
        html.append("<form id=\"upload\" method=\"post\" action=\"/").append(b).append("\" enctype=\"multipart/form-data\">")
                .append("<input type=\"hidden\" name=\"success_action_redirect\" value=\"/ui/b/").append(b).append("\">")
                .append("<label>Object name <input id=\"key\" name=\"key\" value=\"${filename}\"></label> ")
                .append("<label>File <input id=\"file\" type=\"file\" name=\"file\" required></label> ")
                .append("<button id=\"upload-submit\" type=\"submit\">Upload</button></form>");
        List<String> keys = store.keys(bucket, "");
        html.append("<table id=\"files\"><thead><tr><th>Object</th><th>Stored bytes</th></tr></thead><tbody>");
        for (String key : keys) {
            long size;
            try {
                size = store.get(ObjectPath.ofKey(bucket, key)).size();
            } catch (ServiceError gone) {
                continue;
            }
            html.append("<tr><td><a class=\"download\" href=\"/").append(b).append('/').append(esc(urlPath(key)))
                    .append("\">").append(esc(key)).append("</a></td><td>").append(size).append("</td></tr>");
        }
        html.append("</tbody></table>");
        if (keys.isEmpty()) {
            html.append("<p id=\"empty\">No files yet.</p>");
        }
    }

    private static String page(String content) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>servlet-sse sample app</title>"
                + "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1f2430}table{border-collapse:collapse}"
                + "td,th{border-bottom:1px solid #ddd;padding:6px 12px;text-align:left}form{margin:16px 0;padding:12px;"
                + "border:1px solid #ddd;border-radius:6px}</style></head><body>" + content + "</body></html>";
    }

    /** Each key segment percent-encoded, '/' kept. */
    private static String urlPath(String key) {
        StringBuilder sb = new StringBuilder();
        for (String seg : key.split("/", -1)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
