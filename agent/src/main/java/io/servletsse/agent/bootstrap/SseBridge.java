package io.servletsse.agent.bootstrap;

/**
 * The one class the advice inlined into {@code Servlet.service}, {@code Filter.doFilter} and
 * {@code FilterChain.doFilter} calls.
 * It is appended to the bootstrap class path at start-up, so it is visible from every class loader
 * (a webapp's, the container's, the system's). It uses JDK types only: the code that knows
 * {@code jakarta.servlet} lives in a loader next to each servlet API copy (docs/AGENT.md).
 */
public final class SseBridge {
    /**
     * The agent's request entry: true if it handled the request (the advised method body is skipped).
     * {@code chain} is the {@code FilterChain} argument of {@code Filter.doFilter}, null for
     * {@code Servlet.service}, and {@code self} itself for {@code FilterChain.doFilter}.
     */
    public interface Dispatcher {
        boolean handle(Object self, Object request, Object response, Object chain) throws Exception;
    }

    private static volatile Dispatcher dispatcher;

    private SseBridge() {}

    /** Set once at start-up, before any class is instrumented. */
    public static void install(Dispatcher d) {
        if (d == null) {
            throw new IllegalArgumentException("dispatcher");
        }
        dispatcher = d;
    }

    /**
     * Called on entry of every advised method. Never returns false because of a failure: an
     * exception is thrown instead, so the container answers 5xx and no byte reaches the app unencrypted.
     */
    public static boolean enter(Object self, Object request, Object response, Object chain) throws Exception {
        Dispatcher d = dispatcher;
        if (d == null) {
            throw new IllegalStateException("servlet-sse agent: advice ran before the agent was initialised");
        }
        return d.handle(self, request, response, chain);
    }
}
