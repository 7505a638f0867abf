package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of every {@code public void doFilter(ServletRequest, ServletResponse)} of a
 * {@code FilterChain}. The container's chain (Tomcat's {@code ApplicationFilterChain}, Jetty's
 * {@code ServletHandler$Chain}) calls a request's first filter, so taking over here covers filters
 * the agent never sees: a lambda filter is a hidden class, which no agent is shown. The chain is
 * passed as its own {@code chain} argument, which is how the dispatcher tells this join point from
 * the others (see {@link ServletAdvice} for the protocol).
 */
final class ChainAdvice {
    private ChainAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This Object self, @Advice.Argument(0) Object request,
            @Advice.Argument(1) Object response) throws Exception {
        return SseBridge.enter(self, request, response, self);
    }
}
