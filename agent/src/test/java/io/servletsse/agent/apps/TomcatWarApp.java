package io.servletsse.agent.apps;

import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The WAR shape: an exploded webapp (web.xml + WEB-INF/classes holding {@link FileServlet} and
 * {@link BodyReadingFilter}) deployed with {@code addWebapp}, so the servlet and the filter are
 * defined by Tomcat's webapp class loader. Run it through {@link IsolatedLauncher} and Tomcat and
 * the servlet API, too, live in a child loader that the system class loader cannot see.
 *
 * <pre>java -cp ... TomcatWarApp --port 0 --data-dir DIR</pre>
 */
public final class TomcatWarApp {
    private TomcatWarApp() {}

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
        Tomcat tomcat = Embedded.tomcat(port, data);
        // Webapps delegate jakarta.servlet.* to their parent: make it the loader that has Tomcat.
        tomcat.getServer().setParentClassLoader(TomcatWarApp.class.getClassLoader());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context ctx = tomcat.addWebapp("", docBase.toString());
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        ctx.setJarScanner(scanner);
        Embedded.startAndAwait(tomcat, "tomcat WAR, loader " + TomcatWarApp.class.getClassLoader().getName());
    }
}
