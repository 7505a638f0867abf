package io.servletsse.agent.apps;

import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 ee10 file service, encryption-unaware: {@code /*} the {@link FileServlet},
 * and with {@code --gaps} the {@link GapFilters} in front of it.
 *
 * <pre>java -cp ... JettyFileApp --port 0 --data-dir DIR [--gaps]</pre>
 */
public final class JettyFileApp {
    private JettyFileApp() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path data = null;
        boolean gaps = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data-dir" -> data = Path.of(args[++i]).toAbsolutePath();
                case "--gaps" -> gaps = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler ctx = new ServletContextHandler("/");
        ServletHolder files = new ServletHolder(new FileServlet());
        files.setInitParameter("dataDir", data.toString());
        ctx.addServlet(files, "/*");
        if (gaps) {
            GapFilters.register(data, (path, filter) ->
                    ctx.addFilter(new FilterHolder(filter), path, EnumSet.of(DispatcherType.REQUEST)));
        }
        server.setHandler(ctx);
        server.start();
        System.out.println("test app listening on http://127.0.0.1:" + connector.getLocalPort()
                + " (jetty embedded" + (gaps ? ", gaps" : "") + ")");
        System.out.flush();
        server.join();
    }
}
