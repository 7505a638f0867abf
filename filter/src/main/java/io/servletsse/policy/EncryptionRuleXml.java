package io.servletsse.policy;

import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The bucket encryption XML of the OSS API (OSS-WIRE.md section 2), both ways.
 *
 * <p>PutBucketEncryption body, as the clients send it:
 * <pre>
 * &lt;ServerSideEncryptionRule&gt;
 *   &lt;ApplyServerSideEncryptionByDefault&gt;
 *     &lt;SSEAlgorithm&gt;KMS&lt;/SSEAlgorithm&gt;              AES256 | KMS | SM4, required
 *     &lt;KMSMasterKeyID&gt;id&lt;/KMSMasterKeyID&gt;           optional; empty = default CMK
 *     &lt;KMSDataEncryption&gt;SM4&lt;/KMSDataEncryption&gt;    optional, KMS only, SM4 only
 *   &lt;/ApplyServerSideEncryptionByDefault&gt;
 * &lt;/ServerSideEncryptionRule&gt;
 * </pre>
 * The Java SDK sends it with no XML declaration, no whitespace, no Content-Type and always an
 * {@code <KMSMasterKeyID>} (empty when unset); the Go SDK leaves unset elements out. Both are
 * accepted, as are an XML declaration, indentation, comments and any element order.
 *
 * <p>Errors, as OSS answers them: anything not well-formed or not of this shape (wrong root,
 * unknown or repeated element, text where an element belongs, DOCTYPE) is 400 MalformedXML; an
 * SSEAlgorithm other than AES256/KMS/SM4 is 400 InvalidEncryptionAlgorithmError; a
 * KMSDataEncryption other than SM4 is 400 InvalidDataEncryptionAlgorithmError; a non-empty
 * KMSMasterKeyID without KMS is 400 InvalidArgument "KMSMasterKeyID is not applicable if the
 * default sse algorithm is not KMS".
 *
 * <p>Security: DOCTYPE declarations are refused outright, so no external entity (XXE) and no
 * entity expansion (billion laughs) can happen; bodies larger than {@value #MAX_BODY_BYTES} bytes
 * are refused before parsing.
 */
public final class EncryptionRuleXml {
    /** The largest PutBucketEncryption body accepted (a real one is under 300 bytes). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String ROOT = "ServerSideEncryptionRule";
    private static final String DEFAULTS = "ApplyServerSideEncryptionByDefault";
    private static final String ALGORITHM = "SSEAlgorithm";
    private static final String KEY_ID = "KMSMasterKeyID";
    private static final String DATA_ENCRYPTION = "KMSDataEncryption";
    private static final int MAX_VALUE_CHARS = 2048;

    private EncryptionRuleXml() {}

    /**
     * Parses a PutBucketEncryption request body.
     *
     * @return the rule (never None: SSEAlgorithm is required)
     * @throws SseException 400 MalformedXML, InvalidEncryptionAlgorithmError,
     *                      InvalidDataEncryptionAlgorithmError or InvalidArgument
     */
    public static EncryptionRule parse(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            throw OssErrors.malformedXml();
        }
        Element root = parseDocument(body).getDocumentElement();
        if (!ROOT.equals(localName(root))) {
            throw OssErrors.malformedXml();
        }
        Map<String, Element> top = children(root);
        if (top.size() != 1 || !top.containsKey(DEFAULTS)) {
            throw OssErrors.malformedXml();
        }
        Map<String, Element> fields = children(top.get(DEFAULTS));
        for (String name : fields.keySet()) {
            if (!name.equals(ALGORITHM) && !name.equals(KEY_ID) && !name.equals(DATA_ENCRYPTION)) {
                throw OssErrors.malformedXml();
            }
        }
        if (!fields.containsKey(ALGORITHM)) {
            throw OssErrors.malformedXml();
        }
        SseAlgorithm algorithm = SseAlgorithm.fromHeader(text(fields.get(ALGORITHM)));
        if (algorithm == null) {
            throw OssErrors.invalidEncryptionAlgorithm();
        }
        String keyId = fields.containsKey(KEY_ID) ? text(fields.get(KEY_ID)) : null;
        String dataEncryption = fields.containsKey(DATA_ENCRYPTION) ? text(fields.get(DATA_ENCRYPTION)) : null;
        if (dataEncryption != null && dataEncryption.isEmpty()) {
            dataEncryption = null; // an empty element says "not set", as for KMSMasterKeyID
        }
        // EncryptionRule applies the remaining OSS rules (CMK id and SM4 data encryption only with KMS).
        return new EncryptionRule(algorithm, keyId, dataEncryption);
    }

    /**
     * The GetBucketEncryption response body (HTTP 200, {@code Content-Type: application/xml}):
     * no namespace; KMSDataEncryption and KMSMasterKeyID only when set (the Java SDK reads a
     * present-but-empty element as "" rather than null).
     *
     * @throws SseException 404 NoSuchServerSideEncryptionRule for the None rule
     */
    public static String toXml(EncryptionRule rule) {
        if (rule.isNone()) {
            throw OssErrors.noSuchServerSideEncryptionRule();
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<").append(ROOT).append(">\n");
        sb.append("  <").append(DEFAULTS).append(">\n");
        element(sb, "    ", ALGORITHM, rule.algorithm().name());
        if (rule.kmsDataEncryption() != null) {
            element(sb, "    ", DATA_ENCRYPTION, rule.kmsDataEncryption());
        }
        if (rule.kmsMasterKeyId() != null) {
            element(sb, "    ", KEY_ID, rule.kmsMasterKeyId());
        }
        sb.append("  </").append(DEFAULTS).append(">\n");
        sb.append("</").append(ROOT).append(">\n");
        return sb.toString();
    }

    /**
     * The {@code <ServerSideEncryptionRule>} element of GetBucketInfo's {@code <Bucket>}: flat
     * children, {@code None} when no rule is set (OSS-WIRE.md 2.4). No declaration, no trailing
     * newline: the caller embeds it.
     */
    public static String toBucketInfoXml(EncryptionRule rule) {
        StringBuilder sb = new StringBuilder("<").append(ROOT).append(">");
        element(sb, null, ALGORITHM, rule.isNone() ? "None" : rule.algorithm().name());
        if (rule.kmsDataEncryption() != null) {
            element(sb, null, DATA_ENCRYPTION, rule.kmsDataEncryption());
        }
        if (rule.kmsMasterKeyId() != null) {
            element(sb, null, KEY_ID, rule.kmsMasterKeyId());
        }
        return sb.append("</").append(ROOT).append(">").toString();
    }

    /**
     * Checks a request's {@code Content-MD5} against its body. No header means nothing to check.
     *
     * @throws SseException 400 InvalidDigest if the header is not the Base64 of 16 bytes or does
     *                      not match the body
     */
    public static void verifyContentMd5(String contentMd5, byte[] body) {
        if (contentMd5 == null) {
            return;
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            throw OssErrors.invalidDigest();
        }
        if (claimed.length != 16) {
            throw OssErrors.invalidDigest();
        }
        byte[] actual;
        try {
            actual = MessageDigest.getInstance("MD5").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
        if (!MessageDigest.isEqual(claimed, actual)) {
            throw OssErrors.invalidDigest();
        }
    }

    // ------------------------------------------------------------------ parsing

    private static Document parseDocument(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // No DOCTYPE at all: this alone stops external entities (XXE) and entity expansion
            // (billion laughs); the other settings are belts to the braces (OWASP XXE cheat sheet).
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            f.setIgnoringComments(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(SILENT); // the default handler prints "[Fatal Error]" to stderr
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return b.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw OssErrors.malformedXml();
        } catch (ParserConfigurationException e) {
            // Fail closed: never fall back to a parser without these protections.
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /** Child elements by local name; whitespace-only text allowed between them, nothing else. */
    private static Map<String, Element> children(Element parent) {
        Map<String, Element> out = new HashMap<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    if (out.put(localName(n), (Element) n) != null) {
                        throw OssErrors.malformedXml(); // repeated element
                    }
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (!n.getNodeValue().isBlank()) {
                        throw OssErrors.malformedXml();
                    }
                }
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> { }
                default -> throw OssErrors.malformedXml(); // entity references and the like
            }
        }
        return out;
    }

    /** The trimmed text of a leaf element; child elements make it malformed. */
    private static String text(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> sb.append(n.getNodeValue());
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> { }
                default -> throw OssErrors.malformedXml();
            }
        }
        String s = sb.toString().trim();
        if (s.length() > MAX_VALUE_CHARS) {
            throw OssErrors.malformedXml();
        }
        return s;
    }

    private static String localName(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    /** One leaf element; {@code indent} null means compact (no indentation, no newline). */
    private static void element(StringBuilder sb, String indent, String name, String value) {
        sb.append(indent == null ? "" : indent).append('<').append(name).append('>').append(escape(value))
                .append("</").append(name).append('>').append(indent == null ? "" : "\n");
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
