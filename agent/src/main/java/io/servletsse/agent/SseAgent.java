package io.servletsse.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;

/**
 * {@code -javaagent:servlet-sse-agent.jar=config=/path/sse.json}: the filter's encryption in
 * front of every servlet app in the JVM, with no change to the app (docs/AGENT.md).
 *
 * <p>Start-up is all or nothing. A missing or invalid configuration is reported on stderr and in
 * the agent's log, and then, with {@code failMode=closed} (the default), the JVM exits with status
 * {@value #EXIT_REFUSED} before the app's {@code main} runs; with {@code failMode=open} the app runs
 * unencrypted, with a warning. This class references no ByteBuddy and no bridge type, so that
 * nothing is linked before the bridge is on the bootstrap class path ({@link Wiring}).
 */
public final class SseAgent {
    /** Exit status of a JVM the agent refused to start. */
    public static final int EXIT_REFUSED = 78; // EX_CONFIG from sysexits.h

    private SseAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** Attach to a running JVM: the same, except that a refusal fails the attach instead of exiting. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    private static void start(String args, Instrumentation inst, boolean atLaunch) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> properties = (Map) System.getProperties();
        Map<String, String> env = System.getenv();
        AgentOptions.FailMode failMode = AgentOptions.failModeOf(args, properties, env);
        try {
            AgentOptions options = AgentOptions.parse(args, properties, env);
            Wiring.start(options, inst, atLaunch);
        } catch (RuntimeException | LinkageError e) {
            refuse(e, failMode, atLaunch);
        }
    }

    private static void refuse(Throwable e, AgentOptions.FailMode failMode, boolean atLaunch) {
        String message = Wiring.describe(e);
        System.err.println("[servlet-sse agent] ERROR: " + message);
        Wiring.logError(message);
        if (failMode == AgentOptions.FailMode.OPEN) {
            Wiring.passThroughIfInstrumented();
            System.err.println("[servlet-sse agent] WARNING: failMode=open: the application runs WITHOUT "
                    + "servlet-sse; uploads are stored UNENCRYPTED and encrypted objects are served as ciphertext");
            return;
        }
        if (!atLaunch) {
            throw new IllegalStateException("servlet-sse agent: " + message, e);
        }
        System.err.println("[servlet-sse agent] refusing to start the JVM (failMode=closed; exit status "
                + EXIT_REFUSED + ")");
        System.err.flush();
        System.exit(EXIT_REFUSED);
    }
}
