package io.servletsse.servlet;

import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rewritten {@code multipart/form-data} body, streamed: every file part's content (a part
 * whose Content-Disposition has a filename) is replaced by what {@link FileParts#open} makes of it
 * (the encrypted object), form fields pass through byte for byte, part headers are kept as sent
 * except a part {@code Content-Length} of a replaced part (it described the plaintext).
 *
 * <p>A fresh random boundary is used (128 bits): the client's boundary may be short or appear in
 * ciphertext, ours cannot be guessed by a client and appears in random bytes with negligible
 * probability. The body length is unknown in advance (part sizes are not announced), so the
 * wrapped request has no Content-Length.
 *
 * <p>Form fields named in {@link #REMEMBERED} (the OSS PostObject fields {@code key} and the
 * server-side-encryption ones) are remembered as they pass, at most {@value #MAX_REMEMBERED}
 * bytes each, so that a later file part can be named and encrypted as they say (OSS requires the
 * file to be the last field).
 *
 * <p>Any refusal (malformed form, denied, ...) is recorded once and thrown as
 * {@link RefusedUploadException}; the exchange then answers with the recorded OSS error.
 */
final class MultipartRewriter extends InputStream {
    static final Set<String> REMEMBERED = Set.of("key", "x-oss-server-side-encryption",
            "x-oss-server-side-encryption-key-id", "x-oss-server-side-data-encryption");
    static final int MAX_REMEMBERED = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a file part's content becomes. */
    @FunctionalInterface
    interface FileParts {
        /**
         * @param head    the part's headers
         * @param fields  the remembered form fields seen so far (lower-case names)
         * @param content the part's content as sent
         * @return the content to store instead
         */
        InputStream open(MultipartParser.PartHead head, Map<String, String> fields, InputStream content);
    }

    private final MultipartParser parser;
    private final String boundary;
    private final FileParts files;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private InputStream current;
    private boolean first = true;
    private boolean done;
    private SseException refusal;

    MultipartRewriter(MultipartParser parser, FileParts files) {
        this.parser = parser;
        this.files = files;
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        this.boundary = "servlet-sse-" + HexFormat.of().formatHex(r);
    }

    /** The boundary of the rewritten body. */
    String boundary() {
        return boundary;
    }

    /** The refusal recorded while rewriting, or null. */
    SseException refusal() {
        return refusal;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (refusal != null) {
            throw new RefusedUploadException(refusal);
        }
        try {
            while (true) {
                if (current == null && !advance()) {
                    return -1;
                }
                int n = current.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                current = null;
            }
        } catch (SseException e) {
            refusal = e;
            throw new RefusedUploadException(e);
        } catch (RefusedUploadException e) {
            refusal = e.reason();
            throw e;
        }
    }

    private boolean advance() throws IOException {
        if (done) {
            return false;
        }
        String delimiter = (first ? "" : "\r\n") + "--" + boundary;
        first = false;
        MultipartParser.PartHead head = parser.next();
        if (head == null) {
            done = true;
            current = new ByteArrayInputStream((delimiter + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes((delimiter + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < head.rawLines().size(); i++) {
            if (head.isFile() && head.headers().get(i)[0].equalsIgnoreCase("Content-Length")) {
                continue;
            }
            h.writeBytes(head.rawLines().get(i));
            h.writeBytes(new byte[] {'\r', '\n'});
        }
        h.writeBytes(new byte[] {'\r', '\n'});
        InputStream content = head.isFile()
                ? files.open(head, Collections.unmodifiableMap(fields), parser.content())
                : remembering(head.name(), parser.content());
        current = new SequenceInputStream(new ByteArrayInputStream(h.toByteArray()), content);
        return true;
    }

    /** Passes a field through, remembering its value if it is one a later file part depends on. */
    private InputStream remembering(String spelled, InputStream content) {
        String name = spelled.toLowerCase(Locale.ROOT);
        if (!REMEMBERED.contains(name)) {
            return content;
        }
        if (name.equals("key") && !spelled.equals("key")) {
            // The app names the object by this field, perhaps case-sensitively: the filter would check
            // one key (from "KEY") while the app stores under another (its default, ${filename}).
            throw OssErrors.invalidArgument("The form field '" + spelled + "' must be spelled 'key'.");
        }
        if (fields.containsKey(name)) {
            throw MultipartParser.malformed("the field '" + name + "' appears twice");
        }
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = content.read(b, off, len);
                if (n > 0) {
                    if (value.size() + n > MAX_REMEMBERED) {
                        throw new RefusedUploadException(MultipartParser.malformed("the field '" + name + "' is too long"));
                    }
                    value.write(b, off, n);
                } else if (n < 0) {
                    fields.put(name, value.toString(StandardCharsets.UTF_8));
                }
                return n;
            }
        };
    }
}
