package io.servletsse.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers of the reliability tests (docs/RELIABILITY.md): raw HTTP, plaintext scans of the data directory. */
final class ReliabilitySupport {
    private ReliabilitySupport() {}

    /** A response read off a raw socket. */
    record Raw(int status, String head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The OSS error code of an error body, or null. */
        String code() {
            String t = text();
            int a = t.indexOf("<Code>");
            int b = t.indexOf("</Code>");
            return a < 0 || b < a ? null : t.substring(a + 6, b);
        }
    }

    /**
     * Sends the request line, headers and body exactly as given (no normalisation of the target),
     * with Connection: close, and reads the whole response.
     */
    static Raw raw(int port, String method, String target, byte[] body, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            StringBuilder h = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            h.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            try {
                out.write(h.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (java.net.SocketException e) {
                // the server answered and closed before taking everything (431, 413...): read its answer
            }
            byte[] all = readAll(s.getInputStream());
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            byte[] b = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                b = dechunk(b);
            }
            return new Raw(status, head, b);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the response: what was read is the response
        }
        return out.toByteArray();
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < b.length) {
            int eol = indexOf(b, p);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(b, p, eol - p, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(b, eol + 2, size);
            p = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every regular file under {@code dir} whose bytes contain {@code needle}. A file (or directory)
     * the server deletes while it is being walked is skipped: it holds nothing any more.
     */
    static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString()); // a wrong path must not pass as "nothing found"
        }
        List<Path> hits = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    all.add(p);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        for (Path p : all) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue;
            }
            if (indexOf(bytes, needle) >= 0) {
                hits.add(p);
            }
        }
        return hits;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A body of {@code size} bytes made of the marker repeated: any stored copy of it shows in a scan. */
    static byte[] markedBody(String marker, int size) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = m[i % m.length];
        }
        return b;
    }

    /** Open file descriptors of this process (Linux), or -1 elsewhere. */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
