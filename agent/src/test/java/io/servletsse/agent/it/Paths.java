package io.servletsse.agent.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the build put what the tests run (set by failsafe's systemPropertyVariables in agent/pom.xml). */
final class Paths {
    private Paths() {}

    static Path agentJar() {
        return existing("servletsse.agent.jar");
    }

    static Path sampleAppJar() {
        return existing("servletsse.sample.jar");
    }

    static Path testClasses() {
        return existing("servletsse.testClasses");
    }

    /** {@code -javaagent:<jar>=<options>} */
    static String javaagent(String options) {
        return "-javaagent:" + agentJar() + (options == null ? "" : "=" + options);
    }

    /** The test classes plus embedded Tomcat, as a class path string: the test apps need nothing else. */
    static String tomcatAppClassPath() {
        return appClassPath("tomcat-embed-core", "org/apache/tomcat/");
    }

    /**
     * The test classes plus Jetty 12 ee10 (webapp, servlet, server and their Jetty dependencies), the
     * servlet API and SLF4J's API, as a class path string: what {@code JettyWarApp} needs.
     */
    static String jettyAppClassPath() {
        return appClassPath("jetty-ee10-webapp", "org/eclipse/jetty/", "jakarta/servlet/jakarta.servlet-api/",
                "org/slf4j/slf4j-api/");
    }

    /** The test classes plus the test class path entries whose path contains one of {@code dirs} ('/'-separated). */
    private static String appClassPath(String mustHave, String... dirs) {
        List<String> cp = new ArrayList<>();
        cp.add(testClasses().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String slashed = e.replace('\\', '/');
            for (String dir : dirs) {
                if (slashed.contains(dir)) {
                    cp.add(e);
                    break;
                }
            }
        }
        if (cp.stream().noneMatch(e -> e.contains(mustHave))) {
            throw new IllegalStateException(mustHave + " is not on the test class path");
        }
        return String.join(File.pathSeparator, cp);
    }

    private static Path existing(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run the tests with mvn verify)");
        }
        Path p = Path.of(v);
        if (!Files.exists(p)) {
            throw new IllegalStateException(property + " points at " + p + ", which does not exist: build it first "
                    + "(mvn -B -ntp -pl sample-app,agent -am package)");
        }
        return p;
    }
}
