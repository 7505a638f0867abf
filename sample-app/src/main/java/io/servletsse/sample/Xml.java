package io.servletsse.sample;

/**
 * Minimal XML writer for the OSS-style response documents. No namespace on purpose: the OSS SDK
 * reads fields with JDOM {@code getChild(name)}, which only matches elements in no namespace.
 */
final class Xml {
    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    Xml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    Xml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    Xml element(String name, Object text) {
        return open(name).text(String.valueOf(text)).close(name);
    }

    private Xml text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append('\uFFFD'); // control characters are not legal in XML 1.0, even escaped
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
