package io.servletsse.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.servletsse.agent.bootstrap.SseBridge;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the advice on the entry points of the jakarta servlet API, the join points the
 * OpenTelemetry and Elastic agents use: every concrete {@code public void service(ServletRequest,
 * ServletResponse)} of a {@code Servlet}, {@code public void doFilter(ServletRequest,
 * ServletResponse, FilterChain)} of a {@code Filter} and {@code public void
 * doFilter(ServletRequest, ServletResponse)} of a {@code FilterChain}, in any class loader that
 * sees the API. Types are matched by name: the agent cannot load the servlet API itself.
 */
final class Installer {
    private static final String API = "jakarta.servlet.";

    private Installer() {}

    /**
     * @param atLaunch premain: no servlet class is loaded yet, so nothing needs retransforming (and
     *                 scanning every loaded class would cost start-up time); agentmain: the running
     *                 app's classes are retransformed.
     * @param refuseUnadvised failMode=closed: a servlet API class that cannot be instrumented is not loaded
     *                 ({@link RefuseUnadvised})
     */
    static void install(Instrumentation inst, boolean debug, boolean atLaunch, boolean refuseUnadvised) {
        AgentBuilder.TransformerDecorator decorator = refuseUnadvised
                ? RefuseUnadvised::new : AgentBuilder.TransformerDecorator.NoOp.INSTANCE;
        builder(debug, atLaunch, refuseUnadvised).with(decorator).assureReadEdgeTo(inst, SseBridge.class).installOn(inst);
    }

    /** The agent's ByteBuddy set-up, all but what needs the {@link Instrumentation} and the refusal. */
    static AgentBuilder builder(boolean debug, boolean atLaunch, boolean refuseUnadvised) {
        EntryMethods methods = EntryMethods.of();
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(atLaunch ? AgentBuilder.RedefinitionStrategy.DISABLED : AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new Report(debug, refuseUnadvised))
                // Loaders first: the agent's own loaders hide their class files, so their types cannot be described.
                .ignore(any(), isBootstrapClassLoader().or(Installer::isAgentLoader))
                // Only the agent's own packages by name: an app's io.servletsse.* classes are hooked like any other.
                .or(nameStartsWith("io.servletsse.agent.bootstrap.").or(nameStartsWith("io.servletsse.shaded."))
                        .or(nameStartsWith("java.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")).or(isSynthetic()))
                .type(not(isInterface()).and(hasSuperType(namedOneOf(API + "Servlet", API + "Filter", API + "FilterChain"))),
                        new SeesServletApi())
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(Installer.class.getClassLoader())
                        .advice(methods.service(), ServletAdvice.class.getName())
                        .advice(methods.doFilter(), FilterAdvice.class.getName())
                        .advice(methods.chainDoFilter(), ChainAdvice.class.getName()));
    }

    /** The advised methods, each only on its own type of the servlet API. */
    record EntryMethods(ElementMatcher<MethodDescription> service, ElementMatcher<MethodDescription> doFilter,
            ElementMatcher<MethodDescription> chainDoFilter) {
        static EntryMethods of() {
            ElementMatcher.Junction<MethodDescription> entry = isPublic().and(not(isStatic())).and(not(isAbstract()))
                    .and(returns(void.class))
                    .and(takesArgument(0, named(API + "ServletRequest")))
                    .and(takesArgument(1, named(API + "ServletResponse")));
            // A filter may well have a public doFilter(request, response) helper: it is not a chain's and
            // must not be advised as one (the chain advice treats its target as the FilterChain).
            return new EntryMethods(
                    entry.and(named("service")).and(takesArguments(2)).and(isDeclaredBy(hasSuperType(named(API + "Servlet")))),
                    entry.and(named("doFilter")).and(takesArguments(3)).and(takesArgument(2, named(API + "FilterChain")))
                            .and(isDeclaredBy(hasSuperType(named(API + "Filter")))),
                    entry.and(named("doFilter")).and(takesArguments(2))
                            .and(isDeclaredBy(hasSuperType(named(API + "FilterChain")))));
        }
    }

    private static boolean isAgentLoader(ClassLoader cl) {
        return cl instanceof CoreLoader || cl instanceof LayerLoader;
    }

    /** Class loaders from which {@code jakarta.servlet.Servlet} is visible; the answer is cached per loader. */
    private static final class SeesServletApi implements ElementMatcher<ClassLoader> {
        private final Map<ClassLoader, Boolean> cache = Collections.synchronizedMap(new WeakHashMap<>());

        @Override
        public boolean matches(ClassLoader cl) {
            if (cl == null) {
                return false;
            }
            Boolean b = cache.get(cl);
            if (b == null) {
                b = cl.getResource("jakarta/servlet/Servlet.class") != null;
                cache.put(cl, b);
            }
            return b;
        }
    }

    /** Instrumentation errors go to stderr, always: a servlet left unadvised would store plaintext. */
    private static final class Report extends AgentBuilder.Listener.Adapter {
        private final boolean debug;
        private final boolean refuseUnadvised;

        Report(boolean debug, boolean refuseUnadvised) {
            this.debug = debug;
            this.refuseUnadvised = refuseUnadvised;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader cl, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            if (debug) {
                System.err.println("[servlet-sse agent] advised " + type.getName() + " (" + cl + ")");
            }
        }

        @Override
        public void onError(String typeName, ClassLoader cl, JavaModule module, boolean loaded, Throwable throwable) {
            System.err.println("[servlet-sse agent] ERROR: could not instrument " + typeName + " (" + cl + "): "
                    + throwable);
            if (refuseUnadvised && !loaded) {
                RefuseUnadvised.failed(typeName, cl);
            }
        }
    }
}
