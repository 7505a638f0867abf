package io.servletsse.testing;

import io.servletsse.engine.SseRuntime;
import io.servletsse.servlet.SseFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 on 127.0.0.1 and a free port: an SseFilter over the runtime, in front of one servlet at "/*". */
public final class FilteredJetty implements AutoCloseable {
    private final Server server;
    private final int port;

    private FilteredJetty(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    public static FilteredJetty start(SseRuntime runtime, ServletHolder app) throws Exception {
        return start(runtime, app, false);
    }

    /** With {@code asyncSupported}, the filter is declared {@code async-supported} (the servlet's holder says its own). */
    public static FilteredJetty start(SseRuntime runtime, ServletHolder app, boolean asyncSupported) throws Exception {
        Server server = new Server();
        ServerConnector conn = new ServerConnector(server);
        conn.setHost("127.0.0.1");
        server.addConnector(conn);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(app, "/*");
        FilterHolder filter = new FilterHolder(new SseFilter(runtime));
        filter.setAsyncSupported(asyncSupported);
        ctx.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(ctx);
        server.start();
        return new FilteredJetty(server, conn.getLocalPort());
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
