package io.servletsse.testing;

import io.servletsse.engine.SseRuntime;
import io.servletsse.servlet.SseFilter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A real embedded Tomcat 10.1 on 127.0.0.1 and a free port: an SseFilter over the runtime at "/*",
 * first in the chain, then whatever {@code app} adds to the context (servlets, filters after ours).
 */
public final class FilteredTomcat implements AutoCloseable {
    private final Tomcat tomcat;

    private FilteredTomcat(Tomcat tomcat) {
        this.tomcat = tomcat;
    }

    /** {@code workDir} holds Tomcat's own files; {@code docBase} is the context's document root. */
    public static FilteredTomcat start(SseRuntime runtime, Path workDir, Path docBase, Consumer<Context> app)
            throws Exception {
        return start(runtime, workDir, docBase, false, app);
    }

    /** With {@code asyncSupported}, the filter is declared {@code async-supported} (servlets declare their own). */
    public static FilteredTomcat start(SseRuntime runtime, Path workDir, Path docBase, boolean asyncSupported,
            Consumer<Context> app) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addContext("", docBase.toString());
        FilterDef fd = new FilterDef();
        fd.setFilterName("servlet-sse");
        fd.setFilter(new SseFilter(runtime));
        fd.setAsyncSupported(Boolean.toString(asyncSupported));
        ctx.addFilterDef(fd);
        FilterMap fm = new FilterMap();
        fm.setFilterName("servlet-sse");
        fm.addURLPattern("/*");
        ctx.addFilterMap(fm);
        app.accept(ctx);
        tomcat.start();
        return new FilteredTomcat(tomcat);
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
