package io.servletsse.servlet;

import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * One part of the rewritten form, as {@code getParts()} hands it to the app: small parts in memory,
 * larger ones in a temporary file (for a file part that is the encrypted object, so nothing in the
 * temporary directory is plaintext of an encrypted bucket). Memory per part is bounded by
 * {@value #MEMORY_THRESHOLD} bytes.
 */
final class SpooledPart implements Part {
    static final int MEMORY_THRESHOLD = 4096;

    private final MultipartParser.PartHead head;
    private final Path tempDir;
    private byte[] bytes;
    private Path file;
    private long size;

    private SpooledPart(MultipartParser.PartHead head, Path tempDir) {
        this.head = head;
        this.tempDir = tempDir;
    }

    /** Reads one part's content completely. */
    static SpooledPart spool(MultipartParser.PartHead head, InputStream content, Path tempDir) throws IOException {
        SpooledPart p = new SpooledPart(head, tempDir);
        byte[] first = content.readNBytes(MEMORY_THRESHOLD + 1);
        if (first.length <= MEMORY_THRESHOLD) {
            p.bytes = first;
            p.size = first.length;
            return p;
        }
        p.file = Files.createTempFile(tempDir, "servlet-sse-part-", ".tmp");
        try (OutputStream out = Files.newOutputStream(p.file)) {
            out.write(first);
            p.size = first.length + content.transferTo(out);
        } catch (IOException | RuntimeException e) {
            p.delete();
            throw e;
        }
        return p;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(requireFile());
    }

    @Override
    public String getContentType() {
        return head.contentType();
    }

    @Override
    public String getName() {
        return head.name();
    }

    @Override
    public String getSubmittedFileName() {
        return head.filename();
    }

    @Override
    public long getSize() {
        return size;
    }

    /** Writes the part to {@code fileName}; a relative name is resolved against the temporary directory. */
    @Override
    public void write(String fileName) throws IOException {
        Path target = tempDir.resolve(fileName);
        if (bytes != null) {
            Files.write(target, bytes);
        } else {
            Files.move(requireFile(), target, StandardCopyOption.REPLACE_EXISTING);
            file = target; // the content now lives there (containers move too); delete() leaves it alone
        }
    }

    @Override
    public void delete() throws IOException {
        if (file != null && file.getFileName().toString().startsWith("servlet-sse-part-")) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public String getHeader(String name) {
        return head.header(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : head.headers()) {
            if (h[0].equalsIgnoreCase(name)) {
                out.add(h[1]);
            }
        }
        return out;
    }

    @Override
    public Collection<String> getHeaderNames() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        head.headers().forEach(h -> out.add(h[0].toLowerCase(Locale.ROOT)));
        return out;
    }

    /** The content as text (form fields), in {@code charset}. */
    String text(java.nio.charset.Charset charset) throws IOException {
        try (InputStream in = getInputStream()) {
            return new String(in.readAllBytes(), charset);
        }
    }

    private Path requireFile() throws IOException {
        if (file == null) {
            throw new IOException("servlet-sse: the part's content is gone");
        }
        return file;
    }
}
