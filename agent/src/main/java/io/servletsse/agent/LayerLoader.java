package io.servletsse.agent;

/**
 * Defines the servlet-facing layer (the filter's {@code io.servletsse.servlet} wrappers and
 * exchange, and the agent's jakarta entry) next to one copy of the servlet API: its parent is the
 * loader that defined {@code jakarta.servlet.ServletRequest} for the app, so the wrappers implement
 * the very interfaces the container's request objects implement. Core classes come from the one
 * {@link CoreLoader}; everything else (jakarta.servlet, the JDK, the bootstrap bridge) from the parent.
 */
final class LayerLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final HiddenClasses hidden;
    private final CoreLoader core;

    LayerLoader(ClassLoader servletApiLoader, CoreLoader core, HiddenClasses hidden) {
        super("servlet-sse-jakarta", servletApiLoader);
        this.hidden = hidden;
        this.core = core;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("io.servletsse.agent.bootstrap.")) {
            return super.loadClass(name, resolve); // the bridge: always the bootstrap loader's copy
        }
        if (CoreLoader.isServletLayer(name)) {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    // Child-first: never the app's own copy of the filter, which may be on its class path.
                    byte[] bytes = hidden.classBytes(name);
                    if (bytes == null) {
                        throw new ClassNotFoundException(name);
                    }
                    c = defineClass(name, bytes, 0, bytes.length, hidden.domain());
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
        if (name.startsWith("io.servletsse.")) {
            return core.loadClass(name); // the core and relocated dependencies: one copy per JVM
        }
        return super.loadClass(name, resolve);
    }
}
