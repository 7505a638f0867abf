package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import java.lang.reflect.InvocationTargetException;

/**
 * Sends each advised call to the jakarta layer that belongs to the servlet API the advised class
 * sees. Both caches are {@link ClassValue}s keyed on classes, not maps keyed on class loaders: an
 * entry lives exactly as long as its key class, so an undeployed webapp is never pinned.
 * A failure to build a layer is thrown to the request (5xx) and retried on the next one: never
 * cached as "pass through".
 */
final class Router implements SseBridge.Dispatcher {
    static final String SERVLET_REQUEST = "jakarta.servlet.ServletRequest";
    static final String ENTRY_CLASS = "io.servletsse.agent.inst.jakarta.JakartaEntry";

    private final CoreLoader core;
    private final HiddenClasses hidden;
    private final Object runtime;

    /** Instrumented class → the layer for the servlet API it was compiled against. */
    private final ClassValue<SseBridge.Dispatcher> byAdvisedClass = new ClassValue<>() {
        @Override
        protected SseBridge.Dispatcher computeValue(Class<?> advised) {
            try {
                return byApi.get(Class.forName(SERVLET_REQUEST, false, advised.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("servlet-sse agent: " + advised.getName() + " sees no " + SERVLET_REQUEST, e);
            }
        }
    };

    /** {@code jakarta.servlet.ServletRequest} (one per servlet API copy) → its layer. */
    private final ClassValue<SseBridge.Dispatcher> byApi = new ClassValue<>() {
        @Override
        protected SseBridge.Dispatcher computeValue(Class<?> servletRequest) {
            return newLayer(servletRequest.getClassLoader());
        }
    };

    Router(CoreLoader core, HiddenClasses hidden, Object runtime) {
        this.core = core;
        this.hidden = hidden;
        this.runtime = runtime;
    }

    @Override
    public boolean handle(Object self, Object request, Object response, Object chain) throws Exception {
        return byAdvisedClass.get(self.getClass()).handle(self, request, response, chain);
    }

    private SseBridge.Dispatcher newLayer(ClassLoader servletApiLoader) {
        LayerLoader layer = new LayerLoader(servletApiLoader, core, hidden);
        try {
            Class<?> entry = Class.forName(ENTRY_CLASS, true, layer);
            return (SseBridge.Dispatcher) entry.getConstructor(Object.class).newInstance(runtime);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("servlet-sse agent: cannot start the jakarta layer: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("servlet-sse agent: cannot start the jakarta layer: " + e, e);
        }
    }
}
