package io.servletsse.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The agent jar's hidden area: {@code inst/<name>.classdata} class files and {@code inst/<path>}
 * resources. Ordinary class loaders never find them (wrong suffix, wrong path), so the filter core
 * and its relocated dependencies cannot be picked up by the app or the container, and the agent's
 * copy of {@code io.servletsse.*} cannot collide with an app's own copy of the filter.
 */
final class HiddenClasses {
    static final String PREFIX = "inst/";

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    HiddenClasses(JarFile jar, URL location) {
        this.jar = jar;
        this.jarUrl = location.toExternalForm();
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
    }

    ProtectionDomain domain() {
        return domain;
    }

    /** The class file of {@code className}, or null if the hidden area has none. */
    byte[] classBytes(String className) {
        ZipEntry e = jar.getEntry(PREFIX + className.replace('.', '/') + ".classdata");
        if (e == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException("servlet-sse agent: cannot read " + e.getName() + " from " + jarUrl, ex);
        }
    }

    /** A {@code jar:} URL to a hidden resource (for ServiceLoader), or null. */
    URL resource(String name) {
        if (name.endsWith(".class") || jar.getEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + PREFIX + name);
        } catch (MalformedURLException ex) {
            return null;
        }
    }
}
