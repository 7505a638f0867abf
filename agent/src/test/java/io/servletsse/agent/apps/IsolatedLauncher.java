package io.servletsse.agent.apps;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * Runs a main class in a child class loader whose parent is the platform loader, as Spring Boot's
 * launcher or a standalone container does: then the servlet API is not visible from the system
 * class loader, where the agent itself lives.
 *
 * <pre>java -cp launcher IsolatedLauncher CLASSPATH MAIN_CLASS [ARGS...]</pre>
 */
public final class IsolatedLauncher {
    private IsolatedLauncher() {}

    public static void main(String[] args) throws Exception {
        String[] entries = args[0].split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = new File(entries[i]).toURI().toURL();
        }
        URLClassLoader loader = new URLClassLoader("isolated-app", urls, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> mainClass = Class.forName(args[1], true, loader);
        System.out.println("[isolated-launcher] " + mainClass.getName() + " in loader " + mainClass.getClassLoader().getName()
                + "; jakarta.servlet visible from the system loader: "
                + (ClassLoader.getSystemClassLoader().getResource("jakarta/servlet/Servlet.class") != null));
        Method main = mainClass.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
