package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.testing.FilteredJetty;
import io.servletsse.testing.FilteredTomcat;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Browser form uploads through the filter on both containers, to a plain servlet that parses the
 * form with {@code getParts()} (Servlet 6, {@code @MultipartConfig} declared as an app would) and
 * stores each file part under {@code docs/<bucket>/<key>}. Tomcat and Jetty parse parts from their
 * own connector stream, so these tests prove the app received the REWRITTEN form.
 */
class MultipartContainersTest {
    enum Container { JETTY, TOMCAT }

    @TempDir
    Path tmp;

    SseRuntime runtime;
    Path docs;
    int port;
    AutoCloseable server;
    final HttpClient http = HttpClient.newHttpClient();

    /** Stores file parts at docs/<bucket>/<key field or file name>; answers the text fields it saw; GET serves files. */
    static final class FormServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient Path docs;

        FormServlet(Path docs) {
            this.docs = docs;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String bucket = req.getRequestURI().substring(1).split("/")[0];
            // ?writer-first: the app takes its writer before it reads the form, and closes it itself.
            PrintWriter early = "writer-first".equals(req.getQueryString()) ? resp.getWriter() : null;
            TreeMap<String, String> fields = new TreeMap<>();
            try {
                for (Part p : req.getParts()) {
                    if (p.getSubmittedFileName() == null) {
                        fields.put(p.getName(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                for (Part p : req.getParts()) {
                    if (p.getSubmittedFileName() != null) {
                        String key = fields.getOrDefault("key", p.getSubmittedFileName())
                                .replace("${filename}", p.getSubmittedFileName());
                        Path out = docs.resolve(bucket).resolve(key);
                        Files.createDirectories(out.getParent());
                        try (InputStream in = p.getInputStream()) {
                            Files.copy(in, out);
                        }
                    }
                }
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
            if (early != null) {
                early.print("stored");
                early.close();
                return;
            }
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("fields=" + fields + " param(note)=" + req.getParameter("note"));
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Path f = docs.resolve(req.getRequestURI().substring(1));
            if (!Files.isRegularFile(f)) {
                resp.sendError(404);
                return;
            }
            resp.setContentLengthLong(Files.size(f));
            Files.copy(f, resp.getOutputStream());
        }
    }

    void start(Container c) throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(
                "{\"buckets\":{\"vault\":{\"SSEAlgorithm\":\"AES256\"},\"open\":{\"SSEAlgorithm\":\"None\"}}}"),
                tmp.resolve("sse"));
        runtime = SseRuntime.open(config, Clock.systemUTC());
        MultipartConfigElement multipart = new MultipartConfigElement(tmp.toString());
        if (c == Container.JETTY) {
            ServletHolder holder = new ServletHolder(new FormServlet(docs));
            holder.getRegistration().setMultipartConfig(multipart);
            FilteredJetty jetty = FilteredJetty.start(runtime, holder);
            port = jetty.port();
            server = jetty;
        } else {
            FilteredTomcat tomcat = FilteredTomcat.start(runtime, tmp.resolve("tomcat"), tmp, ctx -> {
                Wrapper w = Tomcat.addServlet(ctx, "form", new FormServlet(docs));
                w.setMultipartConfigElement(multipart);
                ctx.addServletMappingDecoded("/*", "form");
            });
            port = tomcat.port();
            server = tomcat;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    /** A multipart/form-data body as a browser sends it. */
    static final class Form {
        final String boundary;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form(String boundary) {
            this.boundary = boundary;
        }

        Form field(String name, String value) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String filename, String type, byte[] content) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] close() {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    static final String BOUNDARY = "----b0undary";

    /** A form with one text file stored under {@code key}, delimited by {@link #BOUNDARY}. */
    static byte[] textFile(String key, String content) {
        return new Form(BOUNDARY).field("key", key).file("file", key, "text/plain", content.getBytes(StandardCharsets.UTF_8))
                .close();
    }

    HttpResponse<String> post(String path, String boundary, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void formToEncryptedBucket_getPartsStoresCiphertext_fieldsIntact_downloadDecrypts(Container c) throws Exception {
        start(c);
        byte[] plain = new byte[300_000];
        new Random(7).nextBytes(plain);
        String boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
        byte[] body = new Form(boundary).field("key", "reports/q3.bin").field("note", "héllo wörld")
                .file("file", "q3.bin", "application/octet-stream", plain).close();

        HttpResponse<String> r = post("/vault", boundary, body);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("fields={key=reports/q3.bin, note=héllo wörld}").contains("param(note)=héllo wörld");
        assertThat(r.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        byte[] stored = Files.readAllBytes(docs.resolve("vault/reports/q3.bin"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(stored.length).isGreaterThan(plain.length);
        assertThat(Collections2.indexOf(stored, Arrays.copyOfRange(plain, 1000, 1032))).isNegative();

        HttpResponse<byte[]> back = get("/vault/reports/q3.bin");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(plain);
    }

    /** The app's writer is taken before the form is read and committed by the app itself: the SSE headers still go out. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void formWhoseAppTakesItsWriterFirst_carriesTheEncryptionHeaders(Container c) throws Exception {
        start(c);
        HttpResponse<String> r = post("/vault?writer-first", BOUNDARY, textFile("early.txt", "written after the writer was taken"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored");
        assertThat(r.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        assertThat(Arrays.copyOf(Files.readAllBytes(docs.resolve("vault/early.txt")), 4)).containsExactly(0x89, 'S', 'E', 'F');
    }

    /** The app fails the second form to the same key (the file exists): its 500 describes no stored object. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void formTheAppFails_carriesNoEncryptionHeaders(Container c) throws Exception {
        start(c);
        byte[] body = textFile("once.txt", "the first and only");

        HttpResponse<String> first = post("/vault", BOUNDARY, body);
        HttpResponse<String> second = post("/vault", BOUNDARY, body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(second.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
        assertThat(get("/vault/once.txt").body()).isEqualTo("the first and only".getBytes(StandardCharsets.UTF_8));
    }

    /** getParameter*() holds text fields as strings: up to 2 MiB of them, then an error rather than an unbounded read. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void textFieldsForGetParameter_areBoundedIn_total(Container c) throws Exception {
        start(c);
        String fits = "n".repeat((int) MultipartRequest.MAX_PARAMETER_BYTES - 100);
        byte[] ok = new Form("XyZ").field("key", "a.txt").field("note", fits).file("file", "a.txt", "text/plain", new byte[10]).close();
        HttpResponse<String> r = post("/open", "XyZ", ok);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).endsWith("param(note)=" + fits);

        String over = "n".repeat((int) MultipartRequest.MAX_PARAMETER_BYTES);
        byte[] big = new Form("XyZ").field("key", "b.txt").field("note", over).file("file", "b.txt", "text/plain", new byte[10]).close();
        assertThat(post("/open", "XyZ", big).statusCode()).isEqualTo(500); // the app's getParameter threw
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void oneCharacterBoundaryAndDelimiterLookalikesInContent_partsSplitCorrectly(Container c) throws Exception {
        start(c);
        // The client's boundary is "a" and the file is full of "--a" and CRLFs: only real delimiters split.
        byte[] plain = "x\r\n-a--a\r\n--b\r\n-a-".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        byte[] body = new Form("a").field("key", "tricky.txt").file("file", "t.txt", "text/plain", plain).close();
        // Form writes "--a" delimiters; the content's "\r\n--b" and "-a--a" are not delimiters of "a"...
        // but "\r\n--a-" would be: keep the content free of that exact sequence.
        assertThat(new String(plain, StandardCharsets.US_ASCII)).doesNotContain("\r\n--a");

        HttpResponse<String> r = post("/vault/tricky.txt", "a", body);

        assertThat(r.statusCode()).isEqualTo(200);
        byte[] stored = Files.readAllBytes(docs.resolve("vault/tricky.txt"));
        assertThat(Arrays.copyOf(stored, 4)).containsExactly(0x89, 'S', 'E', 'F');
        assertThat(get("/vault/tricky.txt").body()).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void truncatedForm_is400MalformedPOSTRequest_andNothingStored(Container c) throws Exception {
        start(c);
        byte[] plain = new byte[100_000];
        new Random(3).nextBytes(plain);
        byte[] whole = new Form("XyZ").field("key", "cut.bin").file("file", "cut.bin", "application/octet-stream", plain)
                .close();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 20); // no close delimiter, part cut short

        HttpResponse<String> r = post("/vault", "XyZ", truncated);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>MalformedPOSTRequest</Code>");
        assertThat(docs.resolve("vault/cut.bin")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void plainBucket_fileBeginningWithMagic_isEnveloped_andDownloadsAsSent(Container c) throws Exception {
        start(c);
        byte[] plain = "\u0089SEF pretending to be an encrypted object".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new Form("b0und").field("key", "fake.bin").file("file", "fake.bin", "application/octet-stream", plain)
                .close();

        assertThat(post("/open", "b0und", body).statusCode()).isEqualTo(200);

        assertThat(Files.readAllBytes(docs.resolve("open/fake.bin"))).hasSizeGreaterThan(plain.length);
        HttpResponse<byte[]> back = get("/open/fake.bin");
        assertThat(back.body()).isEqualTo(plain);
        assertThat(back.headers().firstValue("x-oss-server-side-encryption")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unsupportedTransferEncoding_isRefused_andNothingStored(Container c) throws Exception {
        start(c);
        String b = "QQQ";
        byte[] body = ("--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> r = post("/vault", b, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MalformedPOSTRequest");
        assertThat(docs.resolve("vault")).doesNotExist();
    }

    /** Byte search, for "the plaintext does not appear in what was stored". */
    static final class Collections2 {
        static int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i <= hay.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
