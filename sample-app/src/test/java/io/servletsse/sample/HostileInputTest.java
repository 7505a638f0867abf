package io.servletsse.sample;

import static io.servletsse.sample.ReliabilitySupport.filesContaining;
import static io.servletsse.sample.ReliabilitySupport.markedBody;
import static io.servletsse.sample.ReliabilitySupport.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.format.ObjectHeader;
import io.servletsse.sample.ReliabilitySupport.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests against the sample app with the filter in front (its shipped configuration),
 * over raw sockets so that nothing normalises them on the way: each gets a clean error, or is
 * handled as OSS would, and none leaves its body on disk in plaintext in an encrypted bucket.
 * docs/RELIABILITY.md counts the cases.
 */
class HostileInputTest {
    @TempDir
    static Path tempDir;

    static Path dataDir;
    static SampleApp.Running app;
    static int port;
    static final AtomicInteger CASES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        dataDir = tempDir.resolve("data");
        app = SampleApp.start(SampleApp.Options.defaults().withPort(0).withDataDir(dataDir).withFilter(true));
        port = app.port();
        for (String b : List.of("plain", "aes256", "sm4")) {
            assertThat(raw(port, "PUT", "/" + b, null).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        System.out.println("reliability-stats: hostile cases=" + CASES.get());
    }

    static final String RULE_HEAD = "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>";
    static final String RULE_TAIL = "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // XXE: an external general entity, an external parameter entity, an XInclude
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + RULE_HEAD + "&x;" + RULE_TAIL,
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %p;]>" + RULE_HEAD + "SM4" + RULE_TAIL,
        "<ServerSideEncryptionRule xmlns:xi=\"http://www.w3.org/2001/XInclude\"><ApplyServerSideEncryptionByDefault>"
                + "<SSEAlgorithm><xi:include href=\"file:///etc/hostname\" parse=\"text\"/></SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>",
        // billion laughs, and a quadratic blow-up without a DOCTYPE-free variant
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
                + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
                + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
                + RULE_HEAD + "&lol9;" + RULE_TAIL,
        // not XML, truncated, a wrong root, a repeated element
        "not xml at all", RULE_HEAD + "AES256",
        "<Rule><SSEAlgorithm>AES256</SSEAlgorithm></Rule>",
        "<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "<SSEAlgorithm>SM4</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>"})
    void hostileRuleXml_isMalformedXml_andTheRuleStaysAsItWas(String xml) throws Exception {
        CASES.incrementAndGet();
        Raw r = raw(port, "PUT", "/plain?encryption", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("MalformedXML");
        assertThat(r.text()).doesNotContain("root:"); // nothing of /etc/passwd comes back
        Raw rule = raw(port, "GET", "/plain?encryption", null);
        assertThat(rule.status()).isEqualTo(404); // plain has no rule, and still has none
        assertThat(rule.code()).isEqualTo("NoSuchServerSideEncryptionRule");
    }

    @Test
    void oversizedRuleBody_isMalformedXml_declaredOrChunked() throws Exception {
        CASES.incrementAndGet();
        byte[] big = (RULE_HEAD + "AES256" + RULE_TAIL + " ".repeat(2 << 20)).getBytes(StandardCharsets.UTF_8);
        Raw r = raw(port, "PUT", "/plain?encryption", big);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("MalformedXML");
        assertThat(raw(port, "GET", "/plain?encryption", null).status()).isEqualTo(404);
    }

    @Test
    void oversizedHeaders_areRefused_andNothingIsStored() throws Exception {
        CASES.addAndGet(2);
        byte[] body = markedBody("OVERSIZED-HEADER-PLAINTEXT-", 4096);
        Raw meta = raw(port, "PUT", "/aes256/big-meta", body, "x-oss-meta-a", "v".repeat(64 * 1024));
        assertThat(meta.status()).isEqualTo(431); // Jetty's limit, before the filter or the app
        Raw many = raw(port, "PUT", "/aes256/many", body, manyHeaders(2000));
        assertThat(many.status()).isIn(400, 431);
        assertThat(raw(port, "GET", "/aes256/big-meta", null).status()).isEqualTo(404);
        assertThat(raw(port, "GET", "/aes256/many", null).status()).isEqualTo(404);
        assertThat(filesContaining(dataDir, "OVERSIZED-HEADER-PLAINTEXT-".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    private static String[] manyHeaders(int n) {
        String[] h = new String[2 * n];
        for (int i = 0; i < n; i++) {
            h[2 * i] = "x-oss-meta-h" + i;
            h[2 * i + 1] = "1";
        }
        return h;
    }

    /**
     * Paths that could name one bucket to the filter and another to the app, or escape the data
     * directory: refused (4xx) or, where the name is an ordinary if odd key, stored encrypted. In
     * no case is the body found on disk in plaintext.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/aes256/../plain/dot-dot", "/aes256/..%2fplain%2fenc-slash", "/aes256/%2e%2e/plain/enc-dots",
        "/aes256/%2E%2E%2Fplain%2Fupper", "/aes256/..%5cplain%5cbackslash", "/aes256/a%2fb", "/aes256//double-slash",
        "/aes256/./dot", "/aes256/x;jsessionid=1", "/aes256/x%3bparam", "/%2e%2e/aes256/x", "/..%2faes256/x",
        "/aes256/%252e%252e%252fplain%252fdouble-encoded", "/aes256/%c0%ae%c0%ae/overlong-utf8",
        "/aes256/%ef%bc%8e%ef%bc%8e%ef%bc%8fplain%ef%bc%8ffullwidth", "/aes256/%e2%88%95division-slash",
        "/aes256/x%00nul", "/aes256/%zz-bad-escape", "/aes256/%", "/aes256%2fx", "/AES256/upper-bucket",
        "/aes256/%ff%fe-invalid-utf8", "/aes256/%e2%80%ae-rtl-override", "/aes256/ok-control",
        "/%ef%bd%81es256/fullwidth-bucket", "/aes256%00/nul-bucket", "/aes256%20/space-bucket", "/aes256/..;/plain/semicolon",
        "/aes256/%2e/dot-escape", "/aes256/.%2e/plain/mixed-dots"})
    void pathTricks_neverStorePlaintext(String target) throws Exception {
        CASES.incrementAndGet();
        String marker = "PATH-TRICK-" + Integer.toHexString(target.hashCode()) + "-";
        byte[] body = markedBody(marker, 10_000);
        Raw r = raw(port, "PUT", target, body);
        assertThat(r.status()).as("PUT %s answered %s", target, r.head()).isIn(200, 400, 403, 404, 409, 414, 431);
        if (r.status() >= 400 && r.status() < 500 && r.body().length > 0 && r.text().contains("<Code>")) {
            assertThat(r.code()).isNotBlank();
        }
        assertThat(filesContaining(dataDir, marker.getBytes(StandardCharsets.US_ASCII)))
                .as("plaintext of PUT %s on disk", target).isEmpty();
        if (r.status() == 200) {
            Raw back = raw(port, "GET", target, null);
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.body()).isEqualTo(body);
        }
    }

    /**
     * A declared length no object can have (past the format's 2^32 segments, or past Long range):
     * a clean 400 before a byte is stored, not the container's 500 (regression: the format's
     * IllegalArgumentException escaped the filter).
     */
    @ParameterizedTest(name = "Content-Length {0}")
    @ValueSource(strings = {"300000000000000", "9223372036854775807"})
    void absurdDeclaredLength_isACleanError(String length) throws Exception {
        CASES.incrementAndGet();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("PUT /aes256/absurd HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + length
                    + "\r\n\r\nABSURD-LENGTH-PLAINTEXT").getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 4");
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).contains("<Code>EntityTooLarge</Code>");
        }
        assertThat(filesContaining(dataDir, "ABSURD-LENGTH-PLAINTEXT".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    /** A sub-resource hidden behind hundreds of parameters is no whole-object upload: refused, nothing stored. */
    @Test
    void subResourcePastManyQueryParameters_isRefused_notStoredAsAWholeObject() throws Exception {
        CASES.incrementAndGet();
        byte[] body = markedBody("MANY-PARAMS-PLAINTEXT-", 10_000);
        String padding = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "p" + i).collect(java.util.stream.Collectors.joining("&"));
        Raw hidden = raw(port, "PUT", "/aes256/many-params?" + padding + "&uploadId=X&partNumber=1", body);
        assertThat(hidden.status()).isEqualTo(400);
        assertThat(hidden.code()).isEqualTo("InvalidArgument");
        assertThat(raw(port, "PUT", "/aes256/many-params?uploadId=X&partNumber=1", body).status()).isEqualTo(501);
        assertThat(raw(port, "GET", "/aes256/many-params", null).status()).isEqualTo(404);
        assertThat(filesContaining(dataDir, "MANY-PARAMS-PLAINTEXT-".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    /** OSS serves only the first range of a list; a list of thousands is no different, or refused whole. */
    @Test
    void rangeListsOfThousands_serveTheFirstRange_orAreRefused() throws Exception {
        byte[] body = Reference.random(300_000, 42);
        assertThat(raw(port, "PUT", "/aes256/ranges", body).status()).isEqualTo(200);
        for (int n : new int[] {100, 1000, 5000, 20000}) {
            CASES.incrementAndGet();
            StringBuilder h = new StringBuilder("bytes=70000-70099");
            for (int i = 1; i < n; i++) {
                h.append(',').append(i * 10).append('-').append(i * 10 + 4);
            }
            Raw r = raw(port, "GET", "/aes256/ranges", null, "Range", h.toString());
            if (h.length() < 7000) {
                assertThat(r.status()).isEqualTo(206);
                assertThat(r.body()).isEqualTo(Arrays.copyOfRange(body, 70000, 70100));
            } else {
                // Past Jetty's 8 KiB request header limit (431) or the filter's own (400 InvalidArgument).
                assertThat(r.status()).isIn(400, 431);
                assertThat(r.body().length).isLessThan(4096); // an error, not the object
            }
        }
        // A Range header that is one huge range, and garbage: whole object or an error, never wrong bytes.
        for (String range : List.of("bytes=0-" + "9".repeat(40), "bytes=-" + "9".repeat(19), "bytes=" + ",".repeat(5000),
                "bytes=0-0" + "-0".repeat(2000), "bytes=\u0000-1", "items=0-5", "bytes=5-1")) {
            CASES.incrementAndGet();
            Raw r = raw(port, "GET", "/aes256/ranges", null, "Range", range);
            if (r.status() == 200) {
                assertThat(r.body()).isEqualTo(body);
            } else if (r.status() == 206) {
                assertThat(r.body()).isEqualTo(body); // bytes=-999..: the whole object as a range
            } else {
                assertThat(r.status()).isIn(400, 416, 431);
            }
        }
    }

    /**
     * A None bucket holding bodies that look like encrypted objects: the magic alone, a real
     * encrypted object copied out of an encrypted bucket, and a truncated header. Each downloads as
     * exactly the bytes uploaded (whole, ranged, HEAD), never as an error or a "decryption".
     */
    @Test
    void magicPrefixedBodiesInANoneBucket_downloadAsUploaded() throws Exception {
        byte[] secret = markedBody("COPIED-CIPHERTEXT-SECRET-", 70_000);
        assertThat(raw(port, "PUT", "/aes256/source", secret).status()).isEqualTo(200);
        byte[] ciphertext = Files.readAllBytes(dataDir.resolve("objects/aes256/source"));
        assertThat(ObjectHeader.hasMagic(ciphertext, 0, ciphertext.length)).isTrue();
        byte[] magic = ObjectHeader.magic();
        byte[] magicThenText = concat(magic, "just text after the magic".getBytes(StandardCharsets.UTF_8));
        byte[] truncatedHeader = Arrays.copyOf(ciphertext, 100);
        List<byte[]> bodies = List.of(magic, magicThenText, ciphertext, truncatedHeader);
        for (int i = 0; i < bodies.size(); i++) {
            CASES.incrementAndGet();
            byte[] b = bodies.get(i);
            String key = "/plain/lookalike-" + i;
            assertThat(raw(port, "PUT", key, b).status()).isEqualTo(200);
            Raw get = raw(port, "GET", key, null);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(b);
            Raw head = raw(port, "HEAD", key, null);
            assertThat(head.head().toLowerCase()).contains("content-length: " + b.length);
            assertThat(head.head().toLowerCase()).doesNotContain("x-oss-server-side-encryption");
            if (b.length > 10) {
                Raw range = raw(port, "GET", key, null, "Range", "bytes=2-9");
                assertThat(range.status()).isEqualTo(206);
                assertThat(range.body()).isEqualTo(Arrays.copyOfRange(b, 2, 10));
            }
        }
        // The copied ciphertext is served as the bytes it is: the secret inside stays sealed.
        assertThat(ReliabilitySupport.indexOf(raw(port, "GET", "/plain/lookalike-2", null).body(),
                "COPIED-CIPHERTEXT-SECRET-".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        // An SSE request header on a download is refused, not an instruction.
        CASES.incrementAndGet();
        Raw sseOnGet = raw(port, "GET", "/plain/lookalike-1", null, "x-oss-server-side-encryption", "AES256");
        assertThat(sseOnGet.status()).isEqualTo(400);
        assertThat(sseOnGet.code()).isEqualTo("InvalidArgument");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
