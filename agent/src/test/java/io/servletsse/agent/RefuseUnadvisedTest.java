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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which classes failMode=closed refuses to load after ByteBuddy failed on them: servlet API entry
 * types only (a failure can come from matching any class), and only the load it failed on.
 */
class RefuseUnadvisedTest {
    private final RefuseUnadvised refuse = new RefuseUnadvised();
    private final ClassLoader loader = getClass().getClassLoader();

    static class AServlet extends HttpServlet {}

    abstract static class AFilterBase implements Filter {}

    static class AFilter extends AFilterBase {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {}
    }

    static class AChain implements FilterChain {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res) {}
    }

    static class NotServletApi extends java.util.AbstractList<String> {
        @Override
        public String get(int i) {
            return null;
        }

        @Override
        public int size() {
            return 0;
        }
    }

    interface FilterLike extends Filter {}

    @AfterEach
    void clear() {
        refuse.transform(loader, "x/Clear", null, null, new byte[0]);
    }

    @Test
    void servletFilterOrChainAnywhereAbove_refused() {
        for (Class<?> c : new Class<?>[] {AServlet.class, AFilter.class, AChain.class}) {
            RefuseUnadvised.failed(c.getName(), loader);
            byte[] answer = refuse.transform(loader, internal(c), null, null, classFile(c));
            assertThat(answer).as(c.getName()).isNotNull();
            assertThat(answer.length < 4 || answer[0] != (byte) 0xCA).as("not a class file").isTrue();
        }
    }

    @Test
    void otherClassesAndInterfaces_loadAsTheyAre() {
        for (Class<?> c : new Class<?>[] {NotServletApi.class, FilterLike.class}) {
            RefuseUnadvised.failed(c.getName(), loader);
            assertThat(refuse.transform(loader, internal(c), null, null, classFile(c))).as(c.getName()).isNull();
        }
    }

    @Test
    void onlyTheLoadThatFailed_refused() {
        RefuseUnadvised.failed(AServlet.class.getName(), loader);
        // Another class loaded next on this thread, another loader, a retransformation: left alone.
        assertThat(refuse.transform(loader, internal(AFilter.class), null, null, classFile(AFilter.class))).isNull();
        assertThat(refuse.transform(loader, internal(AServlet.class), null, null, classFile(AServlet.class)))
                .as("the failure is forgotten after one transform").isNull();
        RefuseUnadvised.failed(AServlet.class.getName(), new ClassLoader(loader) {});
        assertThat(refuse.transform(loader, internal(AServlet.class), null, null, classFile(AServlet.class))).isNull();
        RefuseUnadvised.failed(AServlet.class.getName(), loader);
        assertThat(refuse.transform(loader, internal(AServlet.class), AServlet.class, null, classFile(AServlet.class)))
                .isNull();
        assertThat(refuse.transform(loader, internal(AServlet.class), null, null, classFile(AServlet.class)))
                .as("nothing failed").isNull();
    }

    @Test
    void classFileTheBundledAsmCannotRead_refused() {
        assertThat(RefuseUnadvised.mayBeEntryType(loader, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2})).isTrue();
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    private static byte[] classFile(Class<?> c) {
        try (InputStream in = c.getClassLoader().getResourceAsStream(internal(c) + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
