package io.servletsse.agent;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Defines the servlet-free part of the agent from the hidden area: the filter core (format,
 * crypto, kms, policy, engine), relocated Jackson, BouncyCastle and SLF4J, and the agent's start-up
 * glue. Its parent is the platform loader, so nothing of the app or the container is visible from
 * here. One per JVM: one runtime, one key manager, shared by every webapp.
 */
final class CoreLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final HiddenClasses hidden;

    CoreLoader(HiddenClasses hidden) {
        super("servlet-sse-core", ClassLoader.getPlatformClassLoader());
        this.hidden = hidden;
    }

    /** Whether {@code name} belongs to the servlet-facing layer, which this loader must never define. */
    static boolean isServletLayer(String name) {
        return name.startsWith("io.servletsse.servlet.") || name.startsWith("io.servletsse.console.")
                || name.startsWith("io.servletsse.agent.inst.jakarta.");
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isServletLayer(name)) {
            throw new ClassNotFoundException(name + " (servlet layer, not part of the core)");
        }
        byte[] bytes = hidden.classBytes(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length, hidden.domain());
    }

    @Override
    protected URL findResource(String name) {
        return hidden.resource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        URL u = hidden.resource(name);
        return u == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(u));
    }
}
