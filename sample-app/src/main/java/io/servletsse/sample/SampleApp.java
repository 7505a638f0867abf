package io.servletsse.sample;

import io.servletsse.servlet.SseFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An ordinary OSS-style file service on embedded Jetty 12, with the servlet-sse filter declared in
 * front of it the way a user would declare it. The service itself ({@link FileServiceServlet})
 * knows nothing of encryption.
 *
 * <pre>
 * java -jar servlet-sse-sample-app.jar [--port N] [--host H] [--data-dir DIR] [--no-filter] [--sse-config PATH]
 * </pre>
 *
 * Programmatic use (tests, benchmarks): {@code try (SampleApp.Running app = SampleApp.start(options)) {...}}.
 */
public final class SampleApp {
    /** The default classpath configuration the filter reads when no --sse-config is given. */
    public static final String DEFAULT_SSE_CONFIG = "classpath:servlet-sse-sample.json";

    private SampleApp() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Running app = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-app-shutdown"));
        System.out.println("servlet-sse sample app listening on " + app.baseUri().toString().replaceAll("/$", "")
                + " (data: " + app.dataDir() + ", filter: " + (options.filter() ? "on" : "off") + ")");
        System.out.flush();
        app.server.join();
    }

    /** Starts the service; the returned handle stops it. */
    public static Running start(Options options) throws Exception {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        ObjectStore store = new ObjectStore(dataDir);

        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Jetty's default URI compliance refuses ambiguous paths (%2F, %2E%2E, ...) before any filter or
        // servlet sees them (XmlErrorHandler answers in OSS XML). But it also refuses %25, and OSS keys may
        // contain '%', so that one is allowed. FileServiceServlet re-checks the raw path whatever passes.
        http.setUriCompliance(UriCompliance.DEFAULT.with("oss-object-keys", UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        // Servlet 6 getPathInfo() throws on the %25 allowed above unless told to decode it.
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder files = new ServletHolder("file-service", new FileServiceServlet(store));
        // PostObject parses forms with getParts(); without the filter the container does it and needs this.
        files.getRegistration().setMultipartConfig(new MultipartConfigElement(
                Files.createDirectories(dataDir.resolve("tmp-forms")).toString(), 5L << 30, 5L << 30, 1 << 20));
        context.addServlet(files, "/*");
        context.addServlet(new ServletHolder("ui", new UiServlet(store)), "/ui/*");
        if (options.filter()) {
            // The deployment descriptor of this webapp. A ServletContextHandler reads no web.xml, so the
            // <filter>/<filter-mapping> a user would add to theirs is this one declaration:
            //   <filter-class>io.servletsse.servlet.SseFilter</filter-class>, <url-pattern>/*</url-pattern>
            FilterHolder sse = new FilterHolder(SseFilter.class);
            sse.setName("servlet-sse");
            sse.setInitParameter("config", options.sseConfig() != null ? options.sseConfig() : DEFAULT_SSE_CONFIG);
            sse.setInitParameter("dataDirectory", dataDir.resolve("sse").toString());
            context.addFilter(sse, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.setErrorHandler(new XmlErrorHandler());
        try {
            server.start();
        } catch (Exception e) {
            server.stop(); // a port in use or a filter that fails init: leave no threads behind
            throw e;
        }
        return new Running(server, connector, dataDir);
    }

    /** A started service. {@link #close()} stops it (idempotent). */
    public static final class Running implements AutoCloseable {
        private final Server server;
        private final ServerConnector connector;
        private final Path dataDir;

        private Running(Server server, ServerConnector connector, Path dataDir) {
            this.server = server;
            this.connector = connector;
            this.dataDir = dataDir;
        }

        /** The bound port (the real one when started with port 0). */
        public int port() {
            return connector.getLocalPort();
        }

        public String host() {
            return connector.getHost();
        }

        /** The data directory, absolute: objects under {@code objects/}, the filter's data under {@code sse/}. */
        public Path dataDir() {
            return dataDir;
        }

        /** {@code http://host:port/}, the endpoint to give a client (path-style: {@code <base><bucket>/<key>}). */
        public URI baseUri() {
            String h = host().contains(":") ? "[" + host() + "]" : host();
            return URI.create("http://" + h + ":" + port() + "/");
        }

        /** The Jetty server, for tests that need to look inside (for example at its filters). */
        public Server server() {
            return server;
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the sample app failed", e);
            }
        }
    }

    /**
     * Start options. Defaults: host 127.0.0.1, port 8080, data directory {@code ./data}, filter on,
     * filter configuration {@link #DEFAULT_SSE_CONFIG}.
     */
    public record Options(String host, int port, Path dataDir, boolean filter, String sseConfig) {
        static final String USAGE = "usage: java -jar servlet-sse-sample-app.jar [--port N] [--host H] "
                + "[--data-dir DIR] [--no-filter] [--sse-config PATH]";

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(dataDir, "dataDir");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port): " + port);
            }
        }

        public static Options defaults() {
            return new Options("127.0.0.1", 8080, Path.of("data"), true, null);
        }

        public Options withHost(String h) {
            return new Options(h, port, dataDir, filter, sseConfig);
        }

        public Options withPort(int p) {
            return new Options(host, p, dataDir, filter, sseConfig);
        }

        public Options withDataDir(Path d) {
            return new Options(host, port, d, filter, sseConfig);
        }

        public Options withFilter(boolean f) {
            return new Options(host, port, dataDir, f, sseConfig);
        }

        /** A file path or {@code classpath:NAME}; null means {@link SampleApp#DEFAULT_SSE_CONFIG}. */
        public Options withSseConfig(String c) {
            return new Options(host, port, dataDir, filter, c);
        }

        /** Parses the command line; IllegalArgumentException names the offending argument. */
        public static Options parse(String... args) {
            Options o = defaults();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--no-filter" -> o = o.withFilter(false);
                    case "--port" -> o = o.withPort(port(value(args, ++i, a)));
                    case "--host" -> o = o.withHost(value(args, ++i, a));
                    case "--data-dir" -> o = o.withDataDir(Path.of(value(args, ++i, a)));
                    case "--sse-config" -> o = o.withSseConfig(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int port(String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port needs a number: " + v, e);
            }
        }
    }

}
