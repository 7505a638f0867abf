package io.servletsse.servlet;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet-sse filter: declare it first in {@code web.xml}, mapped to {@code /*}, and every
 * object the app stores is encrypted at rest (docs/CONFIGURATION.md).
 *
 * <p>Init params: {@code config} — the JSON configuration, a file path or {@code classpath:NAME}
 * (else system property {@code servletsse.config}, else environment variable
 * {@code SERVLETSSE_CONFIG}); {@code dataDirectory} — overrides the configuration's data directory.
 * Or construct it with a ready {@link SseRuntime} to register it programmatically.
 *
 * <p>Fails closed: a missing or invalid configuration fails {@link #init}, so the container does
 * not put the application in service unencrypted.
 */
public class SseFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(SseFilter.class);

    private SseRuntime runtime;
    private boolean ownsRuntime;

    /** For {@code web.xml}: configured from init params in {@link #init}. */
    public SseFilter() {}

    /** Programmatic registration with a runtime the caller owns. */
    public SseFilter(SseRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        if (runtime != null) {
            return;
        }
        String location = filterConfig.getInitParameter("config");
        if (location == null) {
            location = System.getProperty(ConfigLoader.SYSTEM_PROPERTY);
        }
        if (location == null) {
            location = System.getenv(ConfigLoader.ENVIRONMENT_VARIABLE);
        }
        String dir = filterConfig.getInitParameter("dataDirectory");
        try {
            SseConfig config = ConfigLoader.load(location, dir == null ? null : Path.of(dir),
                    Thread.currentThread().getContextClassLoader());
            runtime = SseRuntime.open(config, Clock.systemUTC());
            ownsRuntime = true;
            LOG.info("servlet-sse: encrypting under {} (data directory {})", config.pathPrefix(), config.dataDirectory());
        } catch (RuntimeException e) {
            LOG.error("servlet-sse: refusing to start: {}", e.getMessage());
            throw new ServletException("servlet-sse: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            chain.doFilter(request, response);
            return;
        }
        if (runtime == null) {
            throw new ServletException("servlet-sse: filter not initialised"); // never pass through unencrypted
        }
        Exchange.handle(runtime, req, res, ChainRewind.around(chain, chain::doFilter));
    }

    @Override
    public void destroy() {
        if (ownsRuntime && runtime != null) {
            runtime.close();
        }
    }
}
