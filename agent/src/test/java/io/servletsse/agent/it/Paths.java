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
        List<String> cp = new ArrayList<>();
        cp.add(testClasses().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("org/apache/tomcat/") || e.contains("org\\apache\\tomcat\\")) {
                cp.add(e);
            }
        }
        if (cp.size() < 2) {
            throw new IllegalStateException("tomcat-embed-core is not on the test class path");
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
