package io.servletsse.agent.inst.jakarta;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the agent hands the exchange: asynchronous processing refused, as the container
 * refuses it behind a filter declared without {@code async-supported} (the web.xml filter mode).
 * {@code startAsync()} would otherwise give the app the unwrapped request and response, and a body
 * read or a download written from another thread would bypass the encryption.
 */
final class SyncOnlyRequest extends HttpServletRequestWrapper {
    SyncOnlyRequest(HttpServletRequest request) {
        super(request);
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public AsyncContext startAsync() {
        throw refused();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        throw refused();
    }

    private static IllegalStateException refused() {
        return new IllegalStateException("servlet-sse agent: asynchronous requests are not supported "
                + "(the request body and response would bypass the encryption)");
    }
}
