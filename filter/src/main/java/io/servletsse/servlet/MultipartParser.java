package io.servletsse.servlet;

import io.servletsse.error.SseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578, RFC 2046 5.1) with constant memory: one
 * fixed buffer, whatever the size of the parts. {@link #next()} reads a part's header block;
 * {@link #content()} streams that part's body up to the next delimiter.
 *
 * <p>Limits, all answered with 400 MalformedPOSTRequest (the OSS PostObject code for a form it
 * cannot read): a boundary of 1..{@value #MAX_BOUNDARY} RFC 2046 characters; a part header block of
 * at most {@value #MAX_HEADER_BYTES} bytes and {@value #MAX_HEADER_LINES} lines (Commons FileUpload
 * allows 10 KiB); at most {@value #MAX_PARTS} parts; at most {@value #MAX_PREAMBLE} bytes before
 * the first delimiter; folded header lines and {@code Content-Transfer-Encoding} other than
 * binary/8bit/7bit are refused (RFC 7578 4.7 deprecates it, and decoding it is not our job: better
 * to refuse than to encrypt the encoded form the app would then mis-decode). A body that ends
 * before the close delimiter is malformed: a truncated form is never taken for a complete one.
 */
final class MultipartParser {
    static final int MAX_BOUNDARY = 70;
    static final int MAX_HEADER_BYTES = 10 * 1024;
    static final int MAX_HEADER_LINES = 32;
    static final int MAX_PARTS = 256;
    static final int MAX_PREAMBLE = 8 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** One part's header block: raw lines (as sent, without CRLF) and what they say. */
    record PartHead(List<byte[]> rawLines, List<String[]> headers, String name, String filename, String contentType) {
        boolean isFile() {
            return filename != null;
        }

        /** The first value of a header, case-insensitive, or null. */
        String header(String headerName) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(headerName)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean started;
    private boolean finished;
    private int parts;
    private PartContent current;
    // Delimiter search state, so that small reads do not rescan the buffer: no delimiter starts
    // before searchFrom; found is where one starts, or -1 if not known yet.
    private int searchFrom;
    private int found = -1;

    MultipartParser(InputStream in, byte[] boundary) {
        this.in = in;
        this.delimiter = new byte[boundary.length + 4];
        delimiter[0] = '\r';
        delimiter[1] = '\n';
        delimiter[2] = '-';
        delimiter[3] = '-';
        System.arraycopy(boundary, 0, delimiter, 4, boundary.length);
        this.buf = new byte[BUFFER + delimiter.length];
        // The body is read as if it began with CRLF, so the first delimiter looks like every other.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    static SseException malformed(String why) {
        return new SseException(400, "MalformedPOSTRequest",
                "The body of your POST request is not well-formed multipart/form-data: " + why + ".");
    }

    /** Whether a Content-Type names a multipart/form-data body. */
    static boolean isFormData(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The boundary parameter of a multipart Content-Type, validated (RFC 2046 bchars, 1..70). */
    static byte[] boundary(String contentType) {
        String b = null;
        for (String param : HeaderParams.split(contentType)) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                if (b != null) {
                    throw malformed("two boundary parameters");
                }
                b = HeaderParams.unquote(param.substring(eq + 1).trim());
            }
        }
        if (b == null || b.isEmpty() || b.length() > MAX_BOUNDARY || b.endsWith(" ")) {
            throw malformed("missing or invalid boundary");
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!ok) {
                throw malformed("invalid character in boundary");
            }
        }
        return b.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The next part's header block, or null after the close delimiter. Any unread content of the
     * previous part is skipped first.
     */
    PartHead next() throws IOException {
        if (finished) {
            return null;
        }
        if (current != null) {
            current.skipRest();
            current = null;
        } else if (!started) {
            skipPreamble();
        }
        started = true;
        // After a delimiter: "--" closes, else optional transport padding and CRLF.
        if (!ensure(2)) {
            throw malformed("unexpected end of body");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null; // the epilogue is ignored and never read
        }
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw malformed("bad delimiter line");
        }
        pos += 2;
        if (++parts > MAX_PARTS) {
            throw malformed("more than " + MAX_PARTS + " parts");
        }
        PartHead head = readHead();
        current = new PartContent();
        return head;
    }

    /** The current part's body (until the next delimiter). */
    InputStream content() {
        if (current == null) {
            throw new IllegalStateException("no current part");
        }
        return current;
    }

    private void skipPreamble() throws IOException {
        long skipped = 0;
        while (true) {
            int i = indexOf(delimiter, pos, lim);
            if (i >= 0) {
                skipped += i - pos;
                pos = i + delimiter.length;
                break;
            }
            int keep = Math.min(lim - pos, delimiter.length - 1);
            skipped += lim - pos - keep;
            pos = lim - keep;
            if (skipped > MAX_PREAMBLE) {
                throw malformed("too much data before the first part");
            }
            if (!fill()) {
                throw malformed("no part delimiter");
            }
        }
        if (skipped > MAX_PREAMBLE) {
            throw malformed("too much data before the first part");
        }
    }

    private PartHead readHead() throws IOException {
        List<byte[]> raw = new ArrayList<>();
        List<String[]> headers = new ArrayList<>();
        int total = 0;
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (!ensure(1)) {
                    throw malformed("unexpected end of part headers");
                }
                byte c = buf[pos++];
                if (++total > MAX_HEADER_BYTES) {
                    throw malformed("part headers larger than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c == '\r') {
                    if (!ensure(1) || buf[pos] != '\n') {
                        throw malformed("bare CR in part headers");
                    }
                    pos++;
                    total++;
                    break;
                }
                if (c == '\n' || c == 0) {
                    throw malformed("bare LF or NUL in part headers");
                }
                line.write(c);
            }
            if (line.size() == 0) {
                break;
            }
            byte[] bytes = line.toByteArray();
            if (bytes[0] == ' ' || bytes[0] == '\t') {
                throw malformed("folded header line");
            }
            if (raw.size() >= MAX_HEADER_LINES) {
                throw malformed("too many part header lines");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw malformed("part header line without a name");
            }
            raw.add(bytes);
            headers.add(new String[] {text.substring(0, colon).trim(), text.substring(colon + 1).trim()});
        }
        return describe(raw, headers);
    }

    private static PartHead describe(List<byte[]> raw, List<String[]> headers) {
        String disposition = null;
        String contentType = null;
        for (String[] h : headers) {
            String n = h[0].toLowerCase(Locale.ROOT);
            if (n.equals("content-disposition")) {
                if (disposition != null) {
                    throw malformed("two Content-Disposition headers");
                }
                disposition = h[1];
            } else if (n.equals("content-type")) {
                contentType = h[1];
            } else if (n.equals("content-transfer-encoding")) {
                String v = h[1].toLowerCase(Locale.ROOT);
                if (!v.equals("binary") && !v.equals("8bit") && !v.equals("7bit")) {
                    throw malformed("Content-Transfer-Encoding " + h[1] + " is not supported");
                }
            }
        }
        if (disposition == null) {
            throw malformed("a part without Content-Disposition");
        }
        List<String> params = HeaderParams.split(disposition);
        if (params.isEmpty() || !params.get(0).trim().equalsIgnoreCase("form-data")) {
            throw malformed("Content-Disposition is not form-data");
        }
        String name = null;
        String filename = null;
        for (String p : params.subList(1, params.size())) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String k = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String v = HeaderParams.unquote(p.substring(eq + 1).trim());
            if (k.equals("name")) {
                name = v;
            } else if (k.equals("filename") || k.equals("filename*")) {
                // Any filename makes a file part: it is encrypted even if the name is empty.
                filename = filename == null || k.equals("filename") ? v : filename;
            }
        }
        if (name == null) {
            throw malformed("a part without a name");
        }
        return new PartHead(List.copyOf(raw), List.copyOf(headers), name, filename, contentType);
    }

    /** Whether at least {@code n} unread bytes are buffered (reading more if needed). */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Compacts the buffer and reads more; false at end of input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            searchFrom = Math.max(0, searchFrom - pos);
            found = found < 0 ? -1 : found - pos;
            pos = 0;
        }
        if (lim == buf.length) {
            return true; // full: the caller consumes before asking again
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private int indexOf(byte[] p, int from, int to) {
        outer:
        for (int i = from; i <= to - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (buf[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where the next delimiter starts in the buffer, or -1 if not in what is buffered. */
    private int delimiterAt() {
        if (found < 0) {
            int from = Math.max(pos, searchFrom);
            found = indexOf(delimiter, from, lim);
            if (found < 0) {
                searchFrom = Math.max(from, lim - delimiter.length + 1);
            }
        }
        return found;
    }

    /** A part's body: bytes up to the next delimiter, which it consumes. */
    private final class PartContent extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int i = delimiterAt();
                int available = i >= 0 ? i - pos : Math.max(0, lim - pos - (delimiter.length - 1));
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (i >= 0) {
                    pos = i + delimiter.length;
                    found = -1;
                    searchFrom = pos;
                    done = true;
                    return -1;
                }
                if (!fill()) {
                    throw new RefusedUploadException(malformed("unexpected end of body inside a part"));
                }
            }
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }
}
