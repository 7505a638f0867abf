package io.servletsse.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * OSS DeleteObjects, {@code POST /{bucket}?delete} with
 * {@code <Delete><Quiet>false</Quiet><Object><Key>k</Key></Object>...</Delete>}: answers
 * {@code <DeleteResult><Deleted><Key>k</Key></Deleted>...</DeleteResult>} (nothing listed when quiet).
 * The body is a small XML document (at most 1000 keys), so unlike object bodies it is read whole,
 * up to a fixed limit.
 */
final class DeleteObjects {
    private static final int MAX_KEYS = 1000;
    private static final int MAX_BODY = 2 * 1024 * 1024; // 1000 keys of 1023 bytes, escaped, fit

    private final ObjectStore store;

    DeleteObjects(ObjectStore store) {
        this.store = store;
    }

    void handle(HttpServletRequest req, HttpServletResponse resp, String bucket, Query query) throws IOException {
        byte[] body = readLimited(req.getInputStream());
        checkMd5(req.getHeader("Content-MD5"), body);
        boolean url = "url".equals(query.get("encoding-type"));
        Element root = parse(body);
        boolean quiet = "true".equalsIgnoreCase(text(root, "Quiet"));
        List<String> keys = new ArrayList<>();
        NodeList objects = root.getElementsByTagName("Object");
        for (int i = 0; i < objects.getLength(); i++) {
            String key = text((Element) objects.item(i), "Key");
            if (key == null) {
                throw malformed();
            }
            keys.add(url ? URLDecoder.decode(key, StandardCharsets.UTF_8) : key);
        }
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw malformed();
        }
        Xml xml = new Xml().open("DeleteResult");
        if (url) {
            xml.element("EncodingType", "url");
        }
        for (String key : keys) {
            store.delete(ObjectPath.ofKey(bucket, key)); // validates like a path would; a bad key fails the request
            if (!quiet) {
                xml.open("Deleted").element("Key", url ? Listing.urlEncode(key) : key).close("Deleted");
            }
        }
        byte[] out = xml.close("DeleteResult").toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("application/xml");
        resp.setContentLength(out.length);
        resp.getOutputStream().write(out);
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new ServiceError(400, "EntityTooLarge", "The DeleteObjects request body is too large.");
        }
        return body;
    }

    private static void checkMd5(String contentMd5, byte[] body) {
        if (contentMd5 == null) {
            return;
        }
        try {
            byte[] expected = Base64.getDecoder().decode(contentMd5.trim());
            if (MessageDigest.isEqual(expected, MessageDigest.getInstance("MD5").digest(body))) {
                return;
            }
        } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
            // falls through
        }
        throw ServiceError.invalidDigest();
    }

    private static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); // no entities, no XXE
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            Element root = f.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
            if (!"Delete".equals(root.getTagName())) {
                throw malformed();
            }
            return root;
        } catch (ServiceError e) {
            throw e;
        } catch (Exception e) {
            throw malformed();
        }
    }

    private static String text(Element parent, String name) {
        NodeList l = parent.getElementsByTagName(name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    private static ServiceError malformed() {
        return new ServiceError(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema.");
    }
}
