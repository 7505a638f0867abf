package io.servletsse.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/** Drives a running sample app over real sockets: java.net.http for normal requests, a raw socket for odd paths. */
final class TestClient {
    private final SampleApp.Running app;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    TestClient(SampleApp.Running app) {
        this.app = app;
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpRequest request = b.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // A server that answers without reading a request body (an error before the upload
            // was read) closes that keep-alive connection afterwards; the JDK client may already have
            // sent the next request on it and then sees no response at all. That request never
            // reached the app, so one retry on a fresh connection is what any HTTP client does.
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) throws IOException, InterruptedException {
        return send("HEAD", path, null, headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        return send("PUT", path, body, headers);
    }

    HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    void createBucket(String bucket) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = put("/" + bucket, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("creating " + bucket + ": " + r.statusCode());
        }
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} exactly as written (no client-side normalisation of
     * dot segments or escapes) with a small body, and returns the status code.
     */
    int raw(String method, String target, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                    + payload.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // a small error page
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** The root element of an OSS XML body, parsed namespace-aware so that a stray xmlns would show. */
    static Element xml(HttpResponse<byte[]> r) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body())).getDocumentElement();
    }

    static String child(Element e, String name) {
        var nodes = e.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
