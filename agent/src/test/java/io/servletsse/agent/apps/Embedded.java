package io.servletsse.agent.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat set-up shared by the test apps: loopback only, a free port, a line saying where. */
final class Embedded {
    private Embedded() {}

    static Tomcat tomcat(int port, Path data) throws Exception {
        Files.createDirectories(data.resolve("tmp"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(data.resolve("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        return tomcat;
    }

    static void startAndAwait(Tomcat tomcat, String shape) throws Exception {
        tomcat.start();
        System.out.println("test app listening on http://127.0.0.1:" + tomcat.getConnector().getLocalPort()
                + " (" + shape + ")");
        System.out.flush();
        tomcat.getServer().await();
    }
}
