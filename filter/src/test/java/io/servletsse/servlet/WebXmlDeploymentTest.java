package io.servletsse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter declared the way a user declares it: a {@code WEB-INF/web.xml} with one filter, one
 * mapping and one init-param, deployed as a web application by Tomcat 10.1.
 */
class WebXmlDeploymentTest {
    @TempDir
    Path tmp;

    @Test
    void filterDeclaredInWebXml_encryptsTheWebappsUploads() throws Exception {
        Path webapp = tmp.resolve("webapp");
        Files.createDirectories(webapp.resolve("WEB-INF"));
        Files.createDirectories(webapp.resolve("secure"));
        Path config = tmp.resolve("sse.json");
        Files.writeString(config, "{ \"dataDirectory\": \"" + tmp.resolve("sse") + "\",\n"
                + "  \"buckets\": { \"secure\": { \"SSEAlgorithm\": \"AES256\" } } }");
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>servlet-sse</filter-name>
                    <filter-class>io.servletsse.servlet.SseFilter</filter-class>
                    <init-param>
                      <param-name>config</param-name>
                      <param-value>%s</param-value>
                    </init-param>
                  </filter>
                  <filter-mapping>
                    <filter-name>servlet-sse</filter-name>
                    <url-pattern>/*</url-pattern>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>files</servlet-name>
                    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
                    <init-param><param-name>readonly</param-name><param-value>false</param-value></init-param>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>files</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(config));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(tmp.resolve("tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addWebapp("/files", webapp.toString());
        ctx.setParentClassLoader(getClass().getClassLoader());
        tomcat.start();
        try {
            int port = tomcat.getConnector().getLocalPort();
            HttpClient http = HttpClient.newHttpClient();
            byte[] plain = "quarterly numbers".getBytes();
            HttpResponse<byte[]> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/secure/q.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(plain)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(put.statusCode()).isIn(201, 204);
            assertThat(put.headers().firstValue("x-oss-server-side-encryption")).hasValue("AES256");
            byte[] disk = Files.readAllBytes(webapp.resolve("secure/q.txt"));
            assertThat(Arrays.copyOf(disk, 4)).containsExactly(0x89, 'S', 'E', 'F');
            HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/secure/q.txt"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.body()).isEqualTo(plain);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
