package io.servletsse.agent.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The WAR shape on Jetty 12 ee10: the same exploded webapp as {@link TomcatWarApp} (web.xml +
 * WEB-INF/classes holding {@link FileServlet} and {@link BodyReadingFilter}, written by
 * {@link ExplodedWar}) deployed as a {@link WebAppContext}, so the servlet and the filter are
 * defined by Jetty's webapp class loader. Run it through {@link IsolatedLauncher} and Jetty and the
 * servlet API, too, live in a child loader that the system class loader cannot see.
 *
 * <pre>java -cp ... JettyWarApp --port 0 --data-dir DIR</pre>
 */
public final class JettyWarApp {
    private JettyWarApp() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data-dir" -> data = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path docBase = ExplodedWar.write(data.resolve("webapp"), data);
        Path tmp = Files.createDirectories(data.resolve("tmp"));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(docBase.toString());
        webapp.setTempDirectory(tmp.toFile());
        // The webapp loader's parent is the thread's context loader (IsolatedLauncher's, which has
        // Jetty and jakarta.servlet); parent-last, so WEB-INF/classes defines the servlet and filter.
        server.setHandler(webapp);
        server.start();

        // Which loader the webapp resolves the servlet and the filter to (WEB-INF/classes, not the parent).
        Class<?> servlet = Class.forName(FileServlet.class.getName(), false, webapp.getClassLoader());
        Class<?> filter = Class.forName(BodyReadingFilter.class.getName(), false, webapp.getClassLoader());
        System.out.println("webapp FileServlet defined by " + servlet.getClassLoader().getClass().getSimpleName()
                + ", BodyReadingFilter defined by " + filter.getClassLoader().getClass().getSimpleName());
        System.out.println("test app listening on http://127.0.0.1:" + connector.getLocalPort()
                + " (jetty WAR, loader " + JettyWarApp.class.getClassLoader().getName() + ")");
        System.out.flush();
        server.join();
    }
}
