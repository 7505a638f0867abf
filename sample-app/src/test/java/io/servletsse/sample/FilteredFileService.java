package io.servletsse.sample;

import io.servletsse.engine.SseRuntime;
import io.servletsse.policy.ConfigLoader;
import io.servletsse.policy.SseConfig;
import io.servletsse.servlet.SseFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The sample app's file service on Jetty 12 behind an SseFilter built from a JSON configuration,
 * with optional test filters between the two (to count or break what the app sends), on
 * 127.0.0.1 and a free port. The tests hold the runtime, so they can reach the keys directly.
 */
final class FilteredFileService implements AutoCloseable {
    private final Server server;
    private final SseRuntime runtime;
    private final int port;

    private FilteredFileService(Server server, SseRuntime runtime, int port) {
        this.server = server;
        this.runtime = runtime;
        this.port = port;
    }

    /** Objects go to {@code data}/objects, the filter's state to {@code data}/sse. */
    static FilteredFileService start(String configJson, Path data, Clock clock, Filter... between) throws Exception {
        SseConfig config = ConfigLoader.parse(ConfigLoader.json().readTree(configJson), data.resolve("sse"));
        SseRuntime runtime = SseRuntime.open(config, clock);
        Server server = new Server();
        try {
            ServerConnector c = new ServerConnector(server);
            c.setHost("127.0.0.1");
            server.addConnector(c);
            ServletContextHandler ctx = new ServletContextHandler("/");
            ctx.addServlet(new ServletHolder(new FileServiceServlet(new ObjectStore(data))), "/*");
            ctx.addFilter(new FilterHolder(new SseFilter(runtime)), "/*", EnumSet.of(DispatcherType.REQUEST));
            for (Filter f : between) {
                ctx.addFilter(new FilterHolder(f), "/*", EnumSet.of(DispatcherType.REQUEST));
            }
            server.setHandler(ctx);
            server.start();
            return new FilteredFileService(server, runtime, c.getLocalPort());
        } catch (Exception e) {
            server.stop();
            runtime.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    SseRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            runtime.close();
        }
    }
}
