package io.servletsse.agent;

import io.servletsse.agent.bootstrap.SseBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of every {@code public void service(ServletRequest, ServletResponse)}. If the
 * agent handles the request it has called this very method itself (through the exchange, with
 * wrapped arguments, perhaps twice) and the original body is skipped; the nested calls see the
 * request marked as handled and run the body. No {@code suppress}: an exception fails the request.
 */
final class ServletAdvice {
    private ServletAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This Object self, @Advice.Argument(0) Object request,
            @Advice.Argument(1) Object response) throws Exception {
        return SseBridge.enter(self, request, response, null);
    }
}
