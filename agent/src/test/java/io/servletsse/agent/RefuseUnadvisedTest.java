package io.servletsse.agent;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.IllegalClassFormatException;
import java.net.URL;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.Test;

/**
 * Which classes failMode=closed refuses to load, with the agent's real ByteBuddy transformer
 * underneath: servlet API entry types ByteBuddy failed on (a failure can come from matching any
 * class), on their first load only.
 */
class RefuseUnadvisedTest {
    private final RefuseUnadvised refuse = new RefuseUnadvised(
            (ResettableClassFileTransformer) Installer.builder(false, true, true).makeRaw());
    private final ClassLoader app = getClass().getClassLoader();

    /** A supertype whose class file the loaders below hide, as a loader of generated classes does. */
    public abstract static class HiddenBase {}

    public static class ServletOnHidden extends HiddenBase implements jakarta.servlet.Servlet {
        @Override
        public void init(jakarta.servlet.ServletConfig config) {}

        @Override
        public jakarta.servlet.ServletConfig getServletConfig() {
            return null;
        }

        @Override
        public void service(ServletRequest req, ServletResponse res) {}

        @Override
        public String getServletInfo() {
            return null;
        }

        @Override
        public void destroy() {}
    }

    public static class FilterOnHidden extends HiddenBase implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {}
    }

    public static class ChainOnHidden extends HiddenBase implements FilterChain {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res) {}
    }

    /** Not a servlet API type: ByteBuddy fails on it too (it must walk its supertypes to match). */
    public static class PlainOnHidden extends HiddenBase {}

    public static class AServlet extends HttpServlet {}

    @Test
    void servletFilterOrChainByteBuddyFailedOn_refused() throws Exception {
        ClassLoader hiding = new Hiding(app, true, HiddenBase.class);
        for (Class<?> c : new Class<?>[] {ServletOnHidden.class, FilterOnHidden.class, ChainOnHidden.class}) {
            byte[] answer = transform(hiding, c, null);
            assertThat(answer).as(c.getName()).isNotNull();
            assertThat(answer.length < 4 || answer[0] != (byte) 0xCA).as("not a class file").isTrue();
        }
    }

    /** The JVM calls the overload with the module on Java 9+: it refuses the same classes. */
    @Test
    void moduleOverload_refusesTheSameClasses() throws Exception {
        ClassLoader hiding = new Hiding(app, true, HiddenBase.class);
        for (Class<?> c : new Class<?>[] {ServletOnHidden.class, FilterOnHidden.class, ChainOnHidden.class}) {
            byte[] answer = refuse.transform(getClass().getModule(), hiding, c.getName().replace('.', '/'), null, null,
                    classFile(c));
            assertThat(answer).as(c.getName()).isNotNull();
            assertThat(answer.length < 4 || answer[0] != (byte) 0xCA).as("not a class file").isTrue();
        }
        assertThat(refuse.transform(getClass().getModule(), hiding, PlainOnHidden.class.getName().replace('.', '/'),
                null, null, classFile(PlainOnHidden.class))).isNull();
    }

    @Test
    void otherClassByteBuddyFailedOn_loadsAsItIs() throws Exception {
        assertThat(transform(new Hiding(app, true, HiddenBase.class), PlainOnHidden.class, null)).isNull();
    }

    @Test
    void classWhoseSupertypeIsMissing_loadsAsItWould() throws Exception {
        // Code probing an optional dependency expects the NoClassDefFoundError the JVM throws for such a
        // class, not a ClassFormatError: a missing supertype does not make it an entry type.
        assertThat(transform(new Hiding(app, false, HiddenBase.class), PlainOnHidden.class, null)).isNull();
    }

    @Test
    void servletByteBuddyInstruments_advisedNotRefused() throws Exception {
        byte[] answer = transform(app, AServlet.class, null);
        assertThat(answer).isNotNull();
        assertThat(answer[0]).as("a class file").isEqualTo((byte) 0xCA);
        assertThat(answer).isNotEqualTo(classFile(AServlet.class));
    }

    @Test
    void retransformationOrAFailureLeftFromAnotherCall_notRefused() throws Exception {
        // Attach: a class already loaded cannot be refused (the JVM would reject the retransformation).
        assertThat(transform(new Hiding(app, true, HiddenBase.class), ServletOnHidden.class, ServletOnHidden.class))
                .isNull();
        // A failure reported outside a transform call does not reach the next one.
        RefuseUnadvised.failed(AServlet.class.getName(), app);
        assertThat(transform(app, ChainOnHidden.class, null)).isNotNull().startsWith((byte) 0xCA);
    }

    @Test
    void classFileTheBundledAsmCannotRead_refused() {
        assertThat(RefuseUnadvised.mayBeEntryType(app, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2})).isTrue();
    }

    private byte[] transform(ClassLoader loader, Class<?> c, Class<?> redefined) throws IllegalClassFormatException {
        return refuse.transform(loader, c.getName().replace('.', '/'), redefined, null, classFile(c));
    }

    private static byte[] classFile(Class<?> c) {
        try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers no class file for the hidden classes; loads them from its parent, or (not loadable) not at all. */
    private static final class Hiding extends ClassLoader {
        private final Set<String> hidden;
        private final boolean loadable;

        Hiding(ClassLoader parent, boolean loadable, Class<?>... hidden) {
            super("hiding", parent);
            this.loadable = loadable;
            this.hidden = Stream.of(hidden).map(Class::getName).collect(Collectors.toSet());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!loadable && hidden.contains(name)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return isHidden(name) ? null : super.getResource(name);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return isHidden(name) ? null : super.getResourceAsStream(name);
        }

        private boolean isHidden(String name) {
            return name.endsWith(".class") && hidden.contains(name.substring(0, name.length() - 6).replace('/', '.'));
        }
    }
}
