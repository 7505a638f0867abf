package io.servletsse.agent.inst.jakarta;

import io.servletsse.agent.bootstrap.SseBridge;
import io.servletsse.engine.SseRuntime;
import io.servletsse.servlet.ChainRewind;
import io.servletsse.servlet.Exchange;
import io.servletsse.servlet.SyncOnlyRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The agent's request entry for one copy of the jakarta servlet API: decides whether an advised
 * {@code service}/{@code doFilter} call is the first of a request (the container's filter chain,
 * or else the first filter or servlet), and if so runs the same {@link Exchange} as the filter,
 * with the advised method itself as the app.
 *
 * <p>"Already handled" is a request attribute set by {@link Exchange#handle}, never thread state:
 * a per-thread depth counter left raised by one failed request would let the next requests on that
 * pooled thread through unencrypted (docs/AGENT.md).
 */
public final class JakartaEntry implements SseBridge.Dispatcher {
    private final SseRuntime runtime;

    public JakartaEntry(Object runtime) {
        this.runtime = (SseRuntime) runtime;
    }

    @Override
    public boolean handle(Object self, Object request, Object response, Object chain) throws Exception {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse res)) {
            return false; // not HTTP: nothing servlet-sse acts on
        }
        if (req.getAttribute(Exchange.HANDLED_ATTRIBUTE) != null) {
            return false; // a nested filter or servlet, a forward or include of a request already handled
        }
        if (req.getDispatcherType() != DispatcherType.REQUEST) {
            return false; // an error page or async dispatch of a request that never reached user code as REQUEST
        }
        HttpServletRequest syncOnly = SyncOnlyRequest.of(req); // for paths outside the prefix too (docs/AGENT.md)
        if (chain == self) {
            // The container's filter chain: the app is the whole chain, filters and servlet.
            FilterChain whole = (FilterChain) self;
            Exchange.handle(runtime, syncOnly, res, ChainRewind.around(whole, whole::doFilter));
        } else if (chain == null) {
            Servlet servlet = (Servlet) self;
            Exchange.handle(runtime, syncOnly, res, servlet::service);
        } else {
            Filter filter = (Filter) self;
            FilterChain next = (FilterChain) chain;
            Exchange.handle(runtime, syncOnly, res, ChainRewind.around(next, (rq, rs) -> filter.doFilter(rq, rs, next)));
        }
        return true;
    }
}
