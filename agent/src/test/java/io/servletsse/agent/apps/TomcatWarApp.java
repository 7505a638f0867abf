package io.servletsse.agent.apps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
    private static final String[] WEBAPP_CLASSES = {FileServlet.class.getName(), BodyReadingFilter.class.getName(),
        BodyReadingFilter.class.getName() + "$Replay", BodyReadingFilter.class.getName() + "$Replay$1"};

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
        Path docBase = explode(data.resolve("webapp"), data);
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

    private static Path explode(Path docBase, Path data) throws IOException {
        Path classes = docBase.resolve("WEB-INF/classes");
        for (String name : WEBAPP_CLASSES) {
            String resource = name.replace('.', '/') + ".class";
            Path target = classes.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = TomcatWarApp.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(docBase.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <filter>
                    <filter-name>body-reader</filter-name>
                    <filter-class>%s</filter-class>
                  </filter>
                  <filter-mapping>
                    <filter-name>body-reader</filter-name>
                    <url-pattern>/*</url-pattern>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>files</servlet-name>
                    <servlet-class>%s</servlet-class>
                    <init-param><param-name>dataDir</param-name><param-value>%s</param-value></init-param>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>files</servlet-name>
                    <url-pattern>/*</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(BodyReadingFilter.class.getName(), FileServlet.class.getName(), data));
        return docBase;
    }
}
