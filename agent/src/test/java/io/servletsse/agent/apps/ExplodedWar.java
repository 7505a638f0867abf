package io.servletsse.agent.apps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The test webapp as an exploded WAR: WEB-INF/web.xml declaring {@link BodyReadingFilter} (first,
 * on {@code /*}) and {@link FileServlet} (on {@code /*}), and their class files in WEB-INF/classes,
 * so that the container's webapp class loader defines them.
 */
final class ExplodedWar {
    private static final String[] CLASSES = {FileServlet.class.getName(), BodyReadingFilter.class.getName(),
        BodyReadingFilter.class.getName() + "$Replay", BodyReadingFilter.class.getName() + "$Replay$1"};

    private ExplodedWar() {}

    static Path write(Path docBase, Path data) throws IOException {
        Path classes = docBase.resolve("WEB-INF/classes");
        for (String name : CLASSES) {
            String resource = name.replace('.', '/') + ".class";
            Path target = classes.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = ExplodedWar.class.getClassLoader().getResourceAsStream(resource)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
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
