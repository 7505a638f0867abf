package io.servletsse.sample;

import io.servletsse.servlet.SseFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The sample app's file servlet in the harness's JVM, with the servlet-sse filter declared as
 * {@link SampleApp} declares it (same configuration, {@code classpath:servlet-sse-sample.json}) and,
 * behind it, a filter that counts the body bytes the app writes: "the bytes the host app had to
 * send" for a Range GET, measured without changing the app (the pattern of FilterBehaviourTest).
 * Lives in the app's package because its servlet and store are package-private.
 */
public final class CountingSampleApp implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final AtomicLong appBytes = new AtomicLong();
    private final AtomicLong appCalls = new AtomicLong();

    private CountingSampleApp(Path dataDir, boolean filter) throws Exception {
        Files.createDirectories(dataDir);
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(new FileServiceServlet(new ObjectStore(dataDir))), "/*");
        if (filter) {
            FilterHolder sse = new FilterHolder(SseFilter.class);
            sse.setName("servlet-sse");
            sse.setInitParameter("config", SampleApp.DEFAULT_SSE_CONFIG);
            sse.setInitParameter("dataDirectory", dataDir.resolve("sse").toString());
            ctx.addFilter(sse, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        ctx.addFilter(new FilterHolder(counting()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(ctx);
        server.start();
    }

    public static CountingSampleApp start(Path dataDir, boolean filter) throws Exception {
        return new CountingSampleApp(dataDir, filter);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Body bytes the app has written since the last {@link #reset()}. */
    public long appBytes() {
        return appBytes.get();
    }

    /** Times the app was called since the last {@link #reset()} (the probe is one call). */
    public long appCalls() {
        return appCalls.get();
    }

    public void reset() {
        appBytes.set(0);
        appCalls.set(0);
    }

    private Filter counting() {
        return (req, res, chain) -> {
            appCalls.incrementAndGet();
            chain.doFilter(req, new HttpServletResponseWrapper((HttpServletResponse) res) {
                @Override
                public ServletOutputStream getOutputStream() throws IOException {
                    ServletOutputStream out = super.getOutputStream();
                    return new ServletOutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            appBytes.incrementAndGet();
                            out.write(b);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            appBytes.addAndGet(len);
                            out.write(b, off, len);
                        }

                        @Override
                        public void flush() throws IOException {
                            out.flush();
                        }

                        @Override
                        public boolean isReady() {
                            return out.isReady();
                        }

                        @Override
                        public void setWriteListener(WriteListener l) {
                            out.setWriteListener(l);
                        }
                    };
                }
            });
        };
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
