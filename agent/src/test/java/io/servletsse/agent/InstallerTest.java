package io.servletsse.agent;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** Which methods get which advice: each entry point only on its own type of the servlet API. */
class InstallerTest {
    private final Installer.EntryMethods methods = Installer.EntryMethods.of();

    /** A filter with public helpers shaped like the other entry points. */
    static class HelperFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) {}

        public void doFilter(ServletRequest req, ServletResponse res) {}

        public void service(ServletRequest req, ServletResponse res) {}
    }

    static class AChain implements FilterChain {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res) {}

        public void service(ServletRequest req, ServletResponse res) {}
    }

    static class AServlet extends HttpServlet {
        @Override
        public void service(ServletRequest req, ServletResponse res) {}

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) {}

        public void doFilter(ServletRequest req, ServletResponse res) {}
    }

    @Test
    void filterHelpersShapedLikeAChainOrServlet_notAdvisedAsOne() {
        assertThat(matching(HelperFilter.class, methods.doFilter())).containsExactly("doFilter/3");
        assertThat(matching(HelperFilter.class, methods.chainDoFilter())).isEmpty();
        assertThat(matching(HelperFilter.class, methods.service())).isEmpty();
    }

    @Test
    void chainAndServlet_eachOnlyItsOwnEntryPoint() {
        assertThat(matching(AChain.class, methods.chainDoFilter())).containsExactly("doFilter/2");
        assertThat(matching(AChain.class, methods.service())).isEmpty();
        assertThat(matching(AServlet.class, methods.service())).containsExactly("service/2");
        assertThat(matching(AServlet.class, methods.chainDoFilter())).isEmpty();
        assertThat(matching(AServlet.class, methods.doFilter())).isEmpty();
    }

    private static List<String> matching(Class<?> type, ElementMatcher<MethodDescription> matcher) {
        // Only the public two-argument service(ServletRequest, ServletResponse) is an entry point, so
        // the protected HTTP overload never shows: the name and arity identify each method here.
        return TypeDescription.ForLoadedType.of(type).getDeclaredMethods().stream().filter(matcher::matches)
                .map(m -> m.getName() + "/" + m.getParameters().size()).toList();
    }
}
