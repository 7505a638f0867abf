package io.servletsse.sample;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** PUT/POST, GET, HEAD and DELETE of {@code /{bucket}/{key}}. */
final class ObjectOperations {
    private static final String OCTET_STREAM = "application/octet-stream";
    /** Object sub-resources of OSS that this plain file service does not offer (better a 501 than a wrong answer). */
    private static final Set<String> UNSUPPORTED = Set.of("acl", "symlink", "tagging", "uploads", "uploadId",
            "partNumber", "append", "position", "restore", "x-oss-process", "torrent");

    private final ObjectStore store;

    ObjectOperations(ObjectStore store) {
        this.store = store;
    }

    void handle(HttpServletRequest req, HttpServletResponse resp, ObjectPath path, Query query) throws IOException {
        for (String name : query.params().keySet()) {
            if (UNSUPPORTED.contains(name)) {
                throw ServiceError.notImplemented("The sub-resource '" + name + "'");
            }
        }
        switch (req.getMethod()) {
            case "PUT", "POST" -> put(req, resp, path);
            case "GET" -> get(req, resp, path, query, true);
            case "HEAD" -> get(req, resp, path, query, false);
            case "DELETE" -> {
                store.delete(path);
                resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            default -> throw ServiceError.methodNotAllowed();
        }
    }

    private void put(HttpServletRequest req, HttpServletResponse resp, ObjectPath path) throws IOException {
        if (req.getHeader("x-oss-copy-source") != null) {
            throw ServiceError.notImplemented("CopyObject");
        }
        StoredObject o = store.put(path, req.getInputStream(), req.getHeader("Content-MD5"), keptHeaders(req));
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setHeader("ETag", o.quotedEtag());
        resp.setHeader("x-oss-hash-crc64ecma", o.crc64());
        resp.setContentLength(0);
    }

    private void get(HttpServletRequest req, HttpServletResponse resp, ObjectPath path, Query query, boolean body)
            throws IOException {
        try (ObjectStore.Opened opened = store.open(path)) {
            StoredObject o = opened.object();
            boolean notModified = Preconditions.notModified(req, o);
            describe(resp, o, query);
            if (notModified) {
                resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            ByteRange range = Preconditions.ifRangeHolds(req, o) ? ByteRange.parse(req.getHeader("Range"), o.size(),
                    "standard".equalsIgnoreCase(String.valueOf(req.getHeader("x-oss-range-behavior")).trim())) : null;
            long first = 0;
            long length = o.size();
            if (range != null) {
                resp.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                resp.setHeader("Content-Range", range.contentRange());
                first = range.first();
                length = range.length();
            } else {
                resp.setStatus(HttpServletResponse.SC_OK);
            }
            resp.setContentLengthLong(length);
            if (body) {
                send(opened.channel(), first, length, resp.getOutputStream());
            }
        }
    }

    /** The headers GET and HEAD share; CRC64 is of the whole object, on 206 too, as OSS does. */
    private static void describe(HttpServletResponse resp, StoredObject o, Query query) {
        Map<String, String> kept = o.headers();
        kept.forEach(resp::setHeader);
        resp.setHeader("Content-Type", kept.getOrDefault("Content-Type", OCTET_STREAM));
        resp.setHeader("ETag", o.quotedEtag());
        resp.setHeader("Last-Modified", HttpDates.header(o.lastModified()));
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setHeader("x-oss-hash-crc64ecma", o.crc64());
        resp.setHeader("x-oss-object-type", "Normal");
        resp.setHeader("x-oss-storage-class", "Standard");
        // OSS GetObject lets a (presigned) request choose these response headers.
        override(resp, query, "response-content-type", "Content-Type");
        override(resp, query, "response-content-disposition", "Content-Disposition");
        override(resp, query, "response-cache-control", "Cache-Control");
    }

    private static void override(HttpServletResponse resp, Query query, String param, String header) {
        String v = query.get(param);
        if (v != null && !v.isEmpty()) {
            resp.setHeader(header, v);
        }
    }

    /** Positioned reads through one fixed buffer: a range reads only its own bytes, at any offset. */
    private static void send(FileChannel channel, long first, long length, ServletOutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(DigestingCopy.BUFFER_SIZE);
        long position = first;
        long remaining = length;
        while (remaining > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), remaining));
            int n = channel.read(buf, position);
            if (n < 0) {
                throw new IOException("file shorter than its recorded size"); // truncated behind our back
            }
            out.write(buf.array(), 0, n);
            position += n;
            remaining -= n;
        }
    }

    /** Content-Type, Content-Disposition, Cache-Control and x-oss-meta-* of the upload, replayed on GET. */
    private static Map<String, String> keptHeaders(HttpServletRequest req) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : ObjectMetadata.KEPT_HEADERS) {
            String v = req.getHeader(name);
            if (v != null && !v.isEmpty()) {
                kept.put(name, v);
            }
        }
        for (String name : Collections.list(req.getHeaderNames())) {
            if (ObjectMetadata.isUserMetadata(name)) {
                kept.put(name.toLowerCase(Locale.ROOT), req.getHeader(name));
            }
        }
        return kept;
    }
}
