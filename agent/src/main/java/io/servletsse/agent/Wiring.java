package io.servletsse.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The start-up steps. The core loader opens the configuration and the keys (a bad configuration
 * fails start-up); the bridge goes onto the bootstrap class path before anything links against it;
 * servlet and filter classes are instrumented; the dispatcher is installed. At launch the first
 * runs in parallel with the next two; attached to a running app, they run one after the other and
 * the dispatcher comes before the instrumentation. No type of the bridge appears in this
 * class (not even as an argument: the verifier loads an interface to check an assignment to it), so
 * linking it cannot load the bridge from the agent jar before it is on the bootstrap class path.
 */
final class Wiring {
    static final String BRIDGE = "io/servletsse/agent/bootstrap/SseBridge";
    private static final String[] BRIDGE_CLASSES = {BRIDGE + ".class", BRIDGE + "$Dispatcher.class"};
    private static final String CORE_START = "io.servletsse.agent.inst.core.CoreStart";

    private static volatile CoreLoader core;
    private static volatile boolean instrumented;

    private Wiring() {}

    static void start(AgentOptions options, Instrumentation inst, boolean atLaunch) {
        long t0 = System.nanoTime();
        if (options.config() == null) {
            throw new AgentOptions.OptionException("no configuration given: pass config=PATH to the agent "
                    + "(-javaagent:servlet-sse-agent.jar=config=/path/sse.json), or set the system property "
                    + "servletsse.config or the environment variable SERVLETSSE_CONFIG");
        }
        if (options.debug()) {
            // The relocated slf4j-simple reads relocated property names: this never touches the app's logging.
            System.setProperty("io.servletsse.shaded.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        // Relocated ByteBuddy reads relocated property names. Safe mode keeps it off sun.misc.Unsafe
        // (JDK 24+ warns about every use); the agent injects nothing through ByteBuddy.
        if (System.getProperty("io.servletsse.shaded.bytebuddy.safe") == null) {
            System.setProperty("io.servletsse.shaded.bytebuddy.safe", "true");
        }
        URL location = agentJar();
        JarFile jar;
        try {
            jar = new JarFile(new File(location.toURI()));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot open the agent jar " + location + ": " + e.getMessage(), e);
        }
        HiddenClasses hidden = new HiddenClasses(jar, location);
        boolean refuse = options.failMode() == AgentOptions.FailMode.CLOSED;
        CoreLoader coreLoader = new CoreLoader(hidden);
        core = coreLoader;
        long t1;
        if (atLaunch) {
            // The runtime (JSON, keys) and ByteBuddy's set-up are independent and cost a few hundred
            // ms each: in parallel. Safe because no app code runs before premain returns, and until the
            // dispatcher is installed an advised method fails rather than pass through.
            FutureTask<Object> opening = new FutureTask<>(() -> openRuntime(coreLoader, options.config()));
            Thread t = new Thread(opening, "servlet-sse-agent-start");
            t.setDaemon(true);
            t.start();
            appendBridgeToBootstrap(jar, inst);
            Activation.instrument(inst, options.debug(), true, refuse);
            instrumented = true;
            Object runtime = await(opening);
            t1 = System.nanoTime();
            Activation.dispatch(coreLoader, hidden, runtime);
        } else {
            // Attached to a running app: nothing is instrumented until the runtime is ready.
            Object runtime = openRuntime(coreLoader, options.config());
            t1 = System.nanoTime();
            appendBridgeToBootstrap(jar, inst);
            Activation.dispatch(coreLoader, hidden, runtime);
            Activation.instrument(inst, options.debug(), false, refuse);
            instrumented = true;
        }
        long t2 = System.nanoTime();
        System.err.println("[servlet-sse agent] started: configuration " + options.config()
                + (options.debug() ? " (in " + (t2 - t0) / 1_000_000 + " ms; runtime ready after "
                        + (t1 - t0) / 1_000_000 + " ms)" : ""));
    }

    /**
     * failMode=open after a failure: if classes were already advised, their advice must let every
     * request through (it would otherwise fail them all, the dispatcher being absent).
     */
    static void passThroughIfInstrumented() {
        if (instrumented) {
            Activation.passThrough();
        }
    }

    private static Object await(FutureTask<Object> opening) {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the configuration", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(describe(e.getCause()), e.getCause());
        }
    }

    /** A one-line description of a start-up failure, naming the problem (the config errors name the field). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof InvocationTargetException && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.toString() : m;
    }

    /** Also writes a start-up failure to the agent's log, if the core got far enough to have one. */
    static void logError(String message) {
        CoreLoader c = core;
        if (c == null) {
            return;
        }
        try {
            Class.forName(CORE_START, true, c).getMethod("logError", String.class).invoke(null, message);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.err.println("[servlet-sse agent] (the agent's log is unavailable: " + describe(e) + ")");
        }
    }

    private static Object openRuntime(CoreLoader coreLoader, String config) {
        try {
            return Class.forName(CORE_START, true, coreLoader).getMethod("open", String.class).invoke(null, config);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(describe(cause), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent jar is damaged: " + e, e);
        }
    }

    private static URL agentJar() {
        URL u = SseAgent.class.getProtectionDomain().getCodeSource().getLocation();
        if (u == null || !"file".equals(u.getProtocol()) || !u.getPath().endsWith(".jar")) {
            throw new IllegalStateException("the agent must run from its jar (found " + u + ")");
        }
        return u;
    }

    /**
     * Copies the two bridge classes into a temporary jar and appends it to the bootstrap class
     * path, so the advice inlined into any class of any loader can call it. The system loader
     * delegates to the bootstrap loader first, so from now on it, too, resolves the bridge there.
     */
    private static void appendBridgeToBootstrap(JarFile agent, Instrumentation inst) {
        try {
            Path tmp = Files.createTempFile("servlet-sse-bridge", ".jar");
            tmp.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out)) {
                for (String name : BRIDGE_CLASSES) {
                    JarEntry e = agent.getJarEntry(name);
                    if (e == null) {
                        throw new IllegalStateException("the agent jar is damaged: no " + name);
                    }
                    jar.putNextEntry(new JarEntry(name));
                    try (InputStream in = agent.getInputStream(e)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(tmp.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's bootstrap bridge: " + e.getMessage(), e);
        }
        ClassLoader bridgeLoader = bridgeClass().getClassLoader();
        if (bridgeLoader != null) {
            throw new IllegalStateException("the bridge was loaded by " + bridgeLoader + " instead of the bootstrap loader");
        }
    }

    private static Class<?> bridgeClass() {
        try {
            return Class.forName(BRIDGE.replace('/', '.'), false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the bootstrap bridge is missing", e);
        }
    }
}
