package io.servletsse.cli;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.format.FormatException;
import io.servletsse.format.ObjectHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a stored file is, from its first bytes alone (no keys): plaintext (not in the format, stored
 * before encryption was enabled), an encrypted object, a plain envelope (a plaintext upload that
 * began with the magic), or something that has the magic but no valid header. Reads at most
 * {@link ObjectHeader#MAX_LENGTH} bytes, the bound the format promises for any header.
 *
 * @param headerBytes the header exactly as stored (ENCRYPTED and PLAIN_ENVELOPE), else null
 */
record Probe(Path file, long size, Kind kind, ObjectHeader header, byte[] headerBytes, FormatException problem) {
    enum Kind { PLAINTEXT, ENCRYPTED, PLAIN_ENVELOPE, MALFORMED }

    static Probe of(Path file) throws IOException {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(ObjectHeader.MAX_LENGTH);
            size = Files.size(file);
        }
        if (!ObjectHeader.hasMagic(head, 0, head.length)) {
            return new Probe(file, size, Kind.PLAINTEXT, null, null, null);
        }
        try {
            ObjectHeader h = ObjectHeader.parse(head, 0, head.length);
            Kind kind = h.algorithm() == ContentAlgorithm.NONE ? Kind.PLAIN_ENVELOPE : Kind.ENCRYPTED;
            return new Probe(file, size, kind, h, Arrays.copyOf(head, h.length()), null);
        } catch (FormatException e) {
            return new Probe(file, size, Kind.MALFORMED, null, null, e);
        }
    }

    /** The kind as the report names it: plaintext, encrypted, plain-envelope, malformed. */
    String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The plaintext length the header and the stored length give (not yet authenticated), or -1. */
    long plaintextLength() {
        if (header == null) {
            return kind == Kind.PLAINTEXT ? size : -1;
        }
        try {
            return header.plaintextLength(size);
        } catch (FormatException e) {
            return -1;
        }
    }
}
