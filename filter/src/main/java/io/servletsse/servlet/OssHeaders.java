package io.servletsse.servlet;

/** Header names of the OSS wire protocol that the filter reads or writes (OSS-WIRE.md section 1). */
final class OssHeaders {
    static final String SSE = "x-oss-server-side-encryption";
    static final String SSE_KEY_ID = "x-oss-server-side-encryption-key-id";
    static final String SSE_DATA_ENCRYPTION = "x-oss-server-side-data-encryption";
    static final String REQUEST_ID = "x-oss-request-id";
    static final String CRC64 = "x-oss-hash-crc64ecma";
    static final String CONTENT_MD5 = "Content-MD5";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String CONTENT_RANGE = "Content-Range";
    static final String ETAG = "ETag";
    static final String RANGE = "Range";
    static final String IF_RANGE = "If-Range";
    /** {@code standard}: a Range not inside the object is clamped or 416, instead of ignored. */
    static final String RANGE_BEHAVIOR = "x-oss-range-behavior";
    /** On an error answer to HEAD: the error XML, base64 (the answer has no body). */
    static final String ERR = "x-oss-err";
    static final String IF_MATCH = "If-Match";
    static final String IF_NONE_MATCH = "If-None-Match";
    static final String ACCEPT_RANGES = "Accept-Ranges";
    static final String ACCEPT_ENCODING = "Accept-Encoding";
    static final String TRANSFER_ENCODING = "Transfer-Encoding";

    private OssHeaders() {}

    /** Response headers that describe the stored (ciphertext) bytes and so must never reach a client as they are. */
    static boolean describesStoredBytes(String name) {
        return name.equalsIgnoreCase(CONTENT_LENGTH)
                || name.equalsIgnoreCase(CONTENT_RANGE)
                || name.equalsIgnoreCase(ETAG)
                || name.equalsIgnoreCase(CRC64)
                || name.equalsIgnoreCase(CONTENT_MD5)
                || name.equalsIgnoreCase("Digest")
                || name.equalsIgnoreCase("Repr-Digest")
                || name.equalsIgnoreCase("Content-Digest");
    }
}
