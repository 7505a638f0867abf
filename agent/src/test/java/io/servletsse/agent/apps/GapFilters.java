package io.servletsse.agent.apps;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The two kinds of first filter the agent cannot advise (docs/AGENT.md), for the test apps'
 * {@code --gaps} option. Each stores a PUT body itself, as an app's upload filter would, under
 * {@code <dataDir>/objects/<path>}, answering {@code X-Stored-By}; other methods go down the chain,
 * marked {@code X-Passed-By}.
 * <ul>
 * <li>a lambda filter: a hidden class, never shown to an agent;</li>
 * <li>{@link HiddenFilter}, defined by {@link ResourcelessLoader}, which hides the class file of its
 * superclass, so ByteBuddy cannot describe it and fails to instrument it.</li>
 * </ul>
 */
public final class GapFilters {
    private GapFilters() {}

    static Filter lambda(Path dataDir) {
        return (req, res, chain) -> storeOrPass(req, res, chain, dataDir, "lambda");
    }

    /**
     * Registers both under {@code /lambda/*} and {@code /hidden/*} through {@code add(path, filter)},
     * printing whether the hidden filter's class could be loaded (the agent refuses it with failMode=closed).
     */
    static void register(Path dataDir, BiConsumer<String, Filter> add) {
        add.accept("/lambda/*", lambda(dataDir));
        try {
            Class<?> c = new ResourcelessLoader(GapFilters.class.getClassLoader()).loadClass(HiddenFilter.class.getName());
            add.accept("/hidden/*", (Filter) c.getConstructor(Path.class).newInstance(dataDir));
            System.out.println("hidden filter: loaded");
        } catch (ReflectiveOperationException | LinkageError e) {
            System.out.println("hidden filter: not loaded: " + e);
        }
    }

    public static void storeOrPass(ServletRequest request, ServletResponse response, FilterChain chain, Path dataDir,
            String who) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        if (!"PUT".equals(req.getMethod())) {
            ((HttpServletResponse) response).addHeader("X-Passed-By", who);
            chain.doFilter(request, response);
            return;
        }
        Path file = dataDir.resolve("objects").resolve(req.getRequestURI().substring(1));
        Files.createDirectories(file.getParent());
        try (InputStream in = req.getInputStream()) {
            Files.write(file, in.readAllBytes());
        }
        HttpServletResponse res = (HttpServletResponse) response;
        res.setHeader("X-Stored-By", who);
        res.setStatus(200);
    }

    /** Hides nothing but its superclass's class file (and its own), which it defines itself. */
    public abstract static class HiddenBase {}

    /** A filter whose superclass ByteBuddy cannot find as a class file. */
    public static final class HiddenFilter extends HiddenBase implements Filter {
        private final Path dataDir;

        public HiddenFilter(Path dataDir) {
            this.dataDir = dataDir;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            storeOrPass(request, response, chain, dataDir, "hidden");
        }
    }

    /**
     * Defines {@link HiddenBase} and {@link HiddenFilter} itself (child first) and answers no
     * resource for their class files, as a loader of generated classes does.
     */
    static final class ResourcelessLoader extends ClassLoader {
        private static final Set<String> OWN = Set.of(HiddenBase.class.getName(), HiddenFilter.class.getName());

        ResourcelessLoader(ClassLoader parent) {
            super("resourceless", parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!OWN.contains(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = bytes(name);
                    c = defineClass(name, b, 0, b.length);
                }
                return c;
            }
        }

        private byte[] bytes(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public URL getResource(String name) {
            return hidden(name) ? null : super.getResource(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return hidden(name) ? null : super.getResourceAsStream(name);
        }

        private static boolean hidden(String name) {
            return name.endsWith(".class") && OWN.contains(name.substring(0, name.length() - 6).replace('/', '.'));
        }
    }
}
