package io.servletsse.kms;

import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Method;

/**
 * Main class of a child JVM that runs one JUnit 5 test class and exits 0 only if at least one test
 * ran, none failed and none was skipped. The JUnit Platform launcher is on the surefire class path at
 * run time but not a compile dependency of this module, hence reflection (public API only).
 */
public final class JUnitInChildJvm {
    private JUnitInChildJvm() {}

    public static void main(String[] args) throws Exception {
        Class<?> selectors = Class.forName("org.junit.platform.engine.discovery.DiscoverySelectors");
        Object selector = selectors.getMethod("selectClass", String.class).invoke(null, args[0]);
        Class<?> selectorType = Class.forName("org.junit.platform.engine.DiscoverySelector");
        Object selectorArray = Array.newInstance(selectorType, 1);
        Array.set(selectorArray, 0, selector);
        Class<?> builderType = Class.forName("org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder");
        Object builder = builderType.getMethod("request").invoke(null);
        builder = builderType.getMethod("selectors", selectorArray.getClass()).invoke(builder, selectorArray);
        Object request = builderType.getMethod("build").invoke(builder);

        Class<?> launcherType = Class.forName("org.junit.platform.launcher.Launcher");
        Object launcher = Class.forName("org.junit.platform.launcher.core.LauncherFactory").getMethod("create").invoke(null);
        Class<?> listenerType = Class.forName("org.junit.platform.launcher.TestExecutionListener");
        Object summaryListener =
                Class.forName("org.junit.platform.launcher.listeners.SummaryGeneratingListener").getConstructor().newInstance();
        Object listeners = Array.newInstance(listenerType, 1);
        Array.set(listeners, 0, summaryListener);
        launcherType.getMethod("execute", Class.forName("org.junit.platform.launcher.LauncherDiscoveryRequest"),
                listeners.getClass()).invoke(launcher, request, listeners);

        Object summary = summaryListener.getClass().getMethod("getSummary").invoke(summaryListener);
        Class<?> summaryType = Class.forName("org.junit.platform.launcher.listeners.TestExecutionSummary");
        PrintWriter out = new PrintWriter(System.out, true);
        summaryType.getMethod("printTo", PrintWriter.class).invoke(summary, out);
        summaryType.getMethod("printFailuresTo", PrintWriter.class, int.class).invoke(summary, out, 40);
        long succeeded = (long) get(summaryType, summary, "getTestsSucceededCount");
        long failed = (long) get(summaryType, summary, "getTotalFailureCount");
        long skipped = (long) get(summaryType, summary, "getTestsSkippedCount")
                + (long) get(summaryType, summary, "getTestsAbortedCount");
        out.println("CHILD RESULT succeeded=" + succeeded + " failed=" + failed + " skipped=" + skipped);
        out.flush();
        System.exit(succeeded > 0 && failed == 0 && skipped == 0 ? 0 : 1);
    }

    private static Object get(Class<?> type, Object target, String name) throws Exception {
        Method m = type.getMethod(name);
        return m.invoke(target);
    }
}
