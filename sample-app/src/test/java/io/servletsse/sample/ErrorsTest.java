package io.servletsse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class ErrorsTest extends RunningApp {

    @BeforeAll
    static void bucket() throws Exception {
        client.createBucket("errors");
    }

    @Test
    void missingKey_isOssErrorXmlWithoutNamespace() throws Exception {
        HttpResponse<byte[]> r = client.get("/errors/missing.txt");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        assertThat(new String(r.body())).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        Element root = TestClient.xml(r);
        assertThat(root.getTagName()).isEqualTo("Error");
        assertThat(root.getNamespaceURI()).isNull(); // the OSS SDK (JDOM getChild) reads no-namespace elements only
        assertThat(childNames(root)).containsExactly("Code", "Message", "RequestId", "HostId");
        assertThat(TestClient.child(root, "Code")).isEqualTo("NoSuchKey");
        assertThat(TestClient.child(root, "Message")).isNotBlank();
        assertThat(TestClient.child(root, "RequestId")).isEqualTo(r.headers().firstValue("x-oss-request-id").orElseThrow());
        assertThat(TestClient.child(root, "HostId")).isEqualTo("127.0.0.1:" + app.port());
    }

    @Test
    void headOfMissingKey_is404WithRequestIdAndNoBody() throws Exception {
        HttpResponse<byte[]> r = client.head("/errors/missing.txt");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("x-oss-request-id")).isPresent();
        // As OSS: the error XML a HEAD cannot carry in its body, base64 in x-oss-err.
        assertThat(new String(java.util.Base64.getDecoder().decode(r.headers().firstValue("x-oss-err").orElseThrow()),
                java.nio.charset.StandardCharsets.UTF_8)).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void errorRaisedByTheContainer_isStillOssXml() throws Exception {
        HttpResponse<byte[]> r = client.get("/errors/%00");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
        assertThat(TestClient.xml(r).getTagName()).isEqualTo("Error");
    }

    @Test
    void unsupportedMethod_isMethodNotAllowed() throws Exception {
        HttpResponse<byte[]> r = client.send("PATCH", "/errors/x", "x".getBytes());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(TestClient.child(TestClient.xml(r), "Code")).isEqualTo("MethodNotAllowed");
    }

    @Test
    void copyObject_isNotImplementedRatherThanStoringAnEmptyObject() throws Exception {
        HttpResponse<byte[]> r = client.put("/errors/copy", new byte[0], "x-oss-copy-source", "/errors/src");

        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(client.head("/errors/copy").statusCode()).isEqualTo(404);
    }

    private static java.util.List<String> childNames(Element e) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                names.add(n.getNodeName());
            }
        }
        return names;
    }
}
