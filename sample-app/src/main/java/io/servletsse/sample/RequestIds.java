package io.servletsse.sample;

import java.security.SecureRandom;
import java.util.HexFormat;

/** OSS request ids: 24 upper-case hex characters, in {@code x-oss-request-id} on every response. */
final class RequestIds {
    static final String HEADER = "x-oss-request-id";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    static String next() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
