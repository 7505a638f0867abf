package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of every {@code public void doFilter(ServletRequest, ServletResponse,
 * FilterChain)}: the first filter of a request is its first user code, so this is where the
 * agent takes over (see {@link ServletAdvice} for the protocol).
 */
final class FilterAdvice {
    private FilterAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This Object self, @Advice.Argument(0) Object request,
            @Advice.Argument(1) Object response, @Advice.Argument(2) Object chain) throws Exception {
        return SseBridge.enter(self, request, response, chain);
    }
}
