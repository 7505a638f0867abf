package io.servletsse.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The sidecar kept for each object under {@code <data-dir>/meta/<bucket>/<key>}: what was known when
 * the bytes were written (size, MD5, CRC64, kept request headers), so that GET, HEAD and listings
 * never re-read a whole file. A Java properties file, because it is trivial to inspect by hand.
 */
record ObjectMetadata(long size, String etag, String crc64, Map<String, String> headers) {
    /** Upload headers kept and replayed on GET/HEAD; plus every {@code x-oss-meta-*} user header. */
    static final String[] KEPT_HEADERS = {"Content-Type", "Content-Disposition", "Cache-Control"};
    static final String USER_META_PREFIX = "x-oss-meta-";

    private static final String SIZE = "size";
    private static final String ETAG = "etag";
    private static final String CRC64 = "crc64ecma";
    private static final String HEADER = "header.";

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty(SIZE, Long.toString(size));
        p.setProperty(ETAG, etag);
        p.setProperty(CRC64, crc64);
        headers.forEach((k, v) -> p.setProperty(HEADER + k, v));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "servlet-sse sample app object metadata");
        }
    }

    /** The sidecar's content, or null when it is missing (an object copied in by hand, or a crash between renames). */
    static ObjectMetadata read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(HEADER)) {
                headers.put(name.substring(HEADER.length()), p.getProperty(name));
            }
        }
        if (p.getProperty(ETAG) == null || p.getProperty(CRC64) == null) {
            return null;
        }
        try {
            return new ObjectMetadata(Long.parseLong(p.getProperty(SIZE)), p.getProperty(ETAG), p.getProperty(CRC64),
                    Map.copyOf(headers));
        } catch (RuntimeException e) {
            return null; // damaged sidecar: recompute from the bytes rather than fail the read
        }
    }

    static boolean isUserMetadata(String headerName) {
        return headerName.toLowerCase(Locale.ROOT).startsWith(USER_META_PREFIX);
    }
}
