package io.servletsse.agent.apps;

import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat 10.1 file service, encryption-unaware, for the agent tests:
 * {@code /*} the {@link FileServlet}, {@code /forward/*} and {@code /include/*} dispatch to it,
 * {@code /form/*} stores multipart parts, {@code /async/*} stores the body from another thread; {@code --app-filter} puts {@link BodyReadingFilter} first,
 * {@code --gaps} adds the {@link GapFilters}.
 *
 * <pre>java -cp ... TomcatFileApp --port 0 --data-dir DIR [--app-filter] [--gaps]</pre>
 */
public final class TomcatFileApp {
    private TomcatFileApp() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path data = null;
        boolean appFilter = false;
        boolean gaps = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data-dir" -> data = Path.of(args[++i]).toAbsolutePath();
                case "--app-filter" -> appFilter = true;
                case "--gaps" -> gaps = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Tomcat tomcat = Embedded.tomcat(port, data);
        Context ctx = tomcat.addContext("", data.toString());

        Wrapper files = Tomcat.addServlet(ctx, "files", new FileServlet());
        files.addInitParameter("dataDir", data.toString());
        ctx.addServletMappingDecoded("/*", "files");
        for (String mode : new String[] {"forward", "include"}) {
            Wrapper w = Tomcat.addServlet(ctx, mode, new DispatchServlet());
            w.addInitParameter("mode", mode);
            ctx.addServletMappingDecoded("/" + mode + "/*", mode);
        }
        Wrapper parts = Tomcat.addServlet(ctx, "form", new PartsServlet());
        parts.addInitParameter("dataDir", data.toString());
        parts.setMultipartConfigElement(new MultipartConfigElement(data.resolve("tmp").toString()));
        ctx.addServletMappingDecoded("/form/*", "form");

        Wrapper async = Tomcat.addServlet(ctx, "async", new AsyncServlet());
        async.addInitParameter("dataDir", data.toString());
        async.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/async/*", "async");

        if (appFilter) {
            FilterDef def = new FilterDef();
            def.setFilterName("body-reader");
            def.setFilter(new BodyReadingFilter());
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("body-reader");
            map.addURLPatternDecoded("/*");
            ctx.addFilterMap(map);
        }
        if (gaps) {
            GapFilters.register(data, (path, filter) -> {
                FilterDef def = new FilterDef();
                def.setFilterName(path);
                def.setFilter(filter);
                ctx.addFilterDef(def);
                FilterMap map = new FilterMap();
                map.setFilterName(path);
                map.addURLPatternDecoded(path);
                ctx.addFilterMap(map);
            });
        }
        Embedded.startAndAwait(tomcat, "tomcat embedded" + (appFilter ? ", app filter" : "") + (gaps ? ", gaps" : ""));
    }
}
