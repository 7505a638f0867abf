package io.servletsse.sample;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * One stored object as the service describes it: the file, its size and modification time, and
 * what was recorded when it was written (ETag, CRC64, Content-Type and the other kept headers).
 */
record StoredObject(String key, Path file, long size, Instant lastModified, String etag, String crc64,
                    Map<String, String> headers) {

    /** The ETag header value: quoted upper-case hex MD5, as OSS sends it for simple uploads. */
    String quotedEtag() {
        return "\"" + etag + "\"";
    }
}
