package io.servletsse.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose asynchronous processing is refused, as a container refuses it behind a filter
 * declared without {@code async-supported}. {@code startAsync()} would give the app the unwrapped
 * request and response ({@code AsyncContext.getRequest()}), and the filter's work ends when the
 * app's thread returns: a body read or a download written from another thread would bypass the
 * encryption, and an upload would be answered as encrypted while the app stored plaintext. So the
 * refusal does not depend on how the filter is declared: the agent hands every request it handles
 * through one, the filter every request under the path prefix ({@link Exchange}).
 */
public final class SyncOnlyRequest extends HttpServletRequestWrapper {
    private SyncOnlyRequest(HttpServletRequest request) {
        super(request);
    }

    /** {@code request} itself if it already refuses asynchronous processing, else a wrapper that does. */
    public static HttpServletRequest of(HttpServletRequest request) {
        return request instanceof SyncOnlyRequest ? request : new SyncOnlyRequest(request);
    }

    @Override
    public boolean isAsyncSupported() {
        return false; // frameworks ask first (Spring MVC falls back or fails with its own message)
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
        return new IllegalStateException("servlet-sse: asynchronous requests are not supported where servlet-sse "
                + "encrypts (the request body and response would bypass the encryption)");
    }
}
