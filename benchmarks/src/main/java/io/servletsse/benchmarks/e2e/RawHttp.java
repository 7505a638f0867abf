package io.servletsse.benchmarks.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A minimal HTTP/1.1 client over one keep-alive socket: the cheapest client there is, so that on a
 * 2-core machine the client takes as little CPU from the server as possible (java.net.http costs
 * several times more per byte and per request). Bodies are generated from {@link Payload} and
 * received into a reusable buffer; nothing is held.
 */
final class RawHttp implements Closeable {
    private static final int BUFFER = 64 * 1024;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[BUFFER];

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The answer: status, headers (lower-case names), body length, and the body itself when small. */
    record Response(int status, Map<String, String> headers, long bodyLength, byte[] smallBody, long crc32) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return smallBody == null ? "" : new String(smallBody, StandardCharsets.UTF_8);
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(300_000);
            in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        }
    }

    /**
     * One request. {@code bodyLength} bytes of {@code payload} (from its start) are sent when
     * {@code bodyLength >= 0}. With {@code crc}, the CRC-32 of the response body is computed.
     */
    Response send(String method, String path, Map<String, String> headers, long bodyLength, Payload payload, boolean crc)
            throws IOException {
        boolean fresh = socket == null;
        try {
            return exchange(method, path, headers, bodyLength, payload, crc);
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            return exchange(method, path, headers, bodyLength, payload, crc); // an idle keep-alive the server closed
        }
    }

    private Response exchange(String method, String path, Map<String, String> headers, long bodyLength, Payload payload,
            boolean crc) throws IOException {
        connect();
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\n");
        if (headers != null) {
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        }
        if (bodyLength >= 0) {
            sb.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (bodyLength > 0) {
            payload.writeTo(out, bodyLength);
        }
        out.flush();
        return read("HEAD".equals(method), crc);
    }

    private Response read(boolean head, boolean crc) throws IOException {
        String statusLine = line();
        if (statusLine.length() < 12) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            if (colon > 0) {
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
        }
        CRC32 sum = crc ? new CRC32() : null;
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        long total = 0;
        boolean noBody = head || status == 204 || status == 304 || status / 100 == 1;
        if (!noBody) {
            String te = headers.get("transfer-encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                while (true) {
                    String size = line();
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    total += body(n, sum, small);
                    line();
                }
            } else {
                String cl = headers.get("content-length");
                if (cl != null) {
                    total = body(Long.parseLong(cl), sum, small);
                } else {
                    total = body(Long.MAX_VALUE, sum, small); // until close
                    close();
                }
            }
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Response(status, headers, total, small.size() > 0 ? small.toByteArray() : null,
                sum == null ? 0 : sum.getValue());
    }

    private long body(long length, CRC32 sum, ByteArrayOutputStream small) throws IOException {
        long read = 0;
        while (read < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - read));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    break;
                }
                throw new EOFException("body ended after " + read + " of " + length + " bytes");
            }
            if (sum != null) {
                sum.update(buf, 0, n);
            }
            if (small.size() < 8192) {
                small.write(buf, 0, Math.min(n, 8192 - small.size()));
            }
            read += n;
        }
        return read;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        socket = null;
        in = null;
        out = null;
    }

    /** The bytes every upload sends: a 1 MiB pseudo-random block, repeated. */
    static final class Payload {
        static final int BLOCK = 1 << 20;
        private final byte[] block = new byte[BLOCK];

        Payload(long seed) {
            new java.util.Random(seed).nextBytes(block);
        }

        byte[] block() {
            return block;
        }

        void writeTo(OutputStream out, long length) throws IOException {
            long left = length;
            while (left > 0) {
                int n = (int) Math.min(BLOCK, left);
                out.write(block, 0, n);
                left -= n;
            }
        }

        /** CRC-32 of the first {@code length} bytes of the payload stream (what a GET must return). */
        long crc32(long length) {
            CRC32 c = new CRC32();
            long left = length;
            while (left > 0) {
                int n = (int) Math.min(BLOCK, left);
                c.update(block, 0, n);
                left -= n;
            }
            return c.getValue();
        }

        /** CRC-32 of bytes [from, from+length) of the payload stream. */
        long crc32(long from, long length) {
            CRC32 c = new CRC32();
            long pos = from;
            long end = from + length;
            while (pos < end) {
                int at = (int) (pos % BLOCK);
                int n = (int) Math.min(BLOCK - at, end - pos);
                c.update(block, at, n);
                pos += n;
            }
            return c.getValue();
        }
    }
}
