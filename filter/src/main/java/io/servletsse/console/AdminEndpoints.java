package io.servletsse.console;

import io.servletsse.auth.Caller;
import io.servletsse.auth.IdentityMode;
import io.servletsse.engine.SseRuntime;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.policy.SseConfig;
import io.servletsse.servlet.UnreadBody;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Everything under {@code admin.path} (default {@code /_servlet-sse/}), answered by the filter
 * itself — the app never sees these requests:
 * <ul>
 *   <li>{@code console/} — the web console (static HTML, CSS, JS from the jar), if {@code admin.console};</li>
 *   <li>{@code api/Session} (GET), {@code api/Login}, {@code api/Logout} (POST) — console sessions;</li>
 *   <li>{@code api/kms/<Action>} — the KMS admin API ({@link KmsApi});</li>
 *   <li>{@code api/oss/<Action>} — the bucket endpoints ({@link BucketApi}).</li>
 * </ul>
 * Every API call needs a console session (cookie); every state-changing call (POST) also needs the
 * session's CSRF token in {@code X-CSRF-Token}, {@code Content-Type: application/json} and, when the
 * browser sends one, an {@code Origin} that is the request's own (or listed in
 * {@code admin.allowedOrigins}). Every answer carries CSP {@code default-src 'self'}, nosniff,
 * {@code frame-ancestors 'none'}, no-store. See docs/CONSOLE.md.
 */
public final class AdminEndpoints {
    /** One instance (sessions) per runtime; weak, so a stopped filter's sessions go with it. */
    private static final Map<SseRuntime, AdminEndpoints> INSTANCES = Collections.synchronizedMap(new WeakHashMap<>());

    static final String COOKIE = "sse_console";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** The app behind the filter (for the server-side bucket dispatch). */
    @FunctionalInterface
    public interface HostApp {
        void call(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;
    }

    private final SseRuntime runtime;
    private final SseConfig.Admin settings;
    private final ConsoleSessions sessions;
    private final ConsoleLogin login;

    private AdminEndpoints(SseRuntime runtime) {
        this.runtime = runtime;
        this.settings = runtime.config().admin();
        this.sessions = new ConsoleSessions(runtime.clock(), settings.sessionLifetime());
        this.login = new ConsoleLogin(runtime);
    }

    private static AdminEndpoints of(SseRuntime runtime) {
        return INSTANCES.computeIfAbsent(runtime, AdminEndpoints::new);
    }

    /** Whether the filter answers this context-relative path itself. */
    public static boolean handles(SseRuntime runtime, String path) {
        SseConfig.Admin a = runtime.config().admin();
        return a.enabled() && path != null
                && (path.startsWith(a.path()) || path.equals(a.path().substring(0, a.path().length() - 1)));
    }

    /** Answers one admin request. */
    public static void handle(SseRuntime runtime, HttpServletRequest req, HttpServletResponse res, String path,
            String requestId) throws IOException {
        of(runtime).serve(req, res, path, requestId);
    }

    private void serve(HttpServletRequest req, HttpServletResponse res, String path, String requestId) throws IOException {
        SecurityHeaders.set(res);
        res.setHeader("x-oss-request-id", requestId);
        String rest = path.length() <= settings.path().length() ? "" : path.substring(settings.path().length());
        try {
            if (rest.isEmpty() || rest.equals("console")) {
                if (!settings.console()) {
                    throw notFound();
                }
                res.setStatus(302);
                res.setHeader("Location", req.getContextPath() + settings.path() + "console/");
                res.setContentLength(0);
                return;
            }
            if (rest.startsWith("console/")) {
                if (!settings.console()) {
                    throw notFound();
                }
                StaticFiles.serve(req, res, rest.substring("console/".length()));
                return;
            }
            if (rest.startsWith("api/")) {
                api(req, res, rest.substring("api/".length()), requestId);
                return;
            }
            throw notFound();
        } catch (SseException e) {
            if (res.isCommitted()) {
                throw new IOException("servlet-sse admin: " + e.ossCode() + " after the response was committed", e);
            }
            UnreadBody.drain(req); // refused before its body was read (Origin, CSRF, 415): keep the connection usable
            ApiCall.error(res, e, requestId);
        }
    }

    private void api(HttpServletRequest req, HttpServletResponse res, String name, String requestId) throws IOException {
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        boolean post = "POST".equals(method);
        if (!post && !"GET".equals(method)) {
            throw new SseException(405, "MethodNotAllowed", "The admin API takes GET (reads) and POST (changes).");
        }
        if (post) {
            checkOrigin(req);
        }
        switch (name) {
            case "Session" -> {
                requireGet(post);
                session(req, res, requestId, true);
                return;
            }
            case "Login" -> {
                requirePost(post);
                login(req, res, requestId);
                return;
            }
            case "Logout" -> {
                requirePost(post);
                Optional<ConsoleSessions.Session> s = currentSession(req);
                if (s.isPresent()) {
                    requireCsrf(req, s.get());
                }
                sessions.remove(cookie(req));
                res.addHeader("Set-Cookie", cookieHeader(req, "", 0));
                ApiCall.write(res, 200, ApiCall.JSON.createObjectNode().put("SignedIn", false).put("RequestId", requestId));
                return;
            }
            default -> { }
        }
        ConsoleSessions.Session s = currentSession(req).orElseThrow(() -> new SseException(401, "NotSignedIn",
                "Sign in to the console first (no valid console session)."));
        if (!stillSameCaller(req, requestId, s)) {
            sessions.remove(cookie(req));
            throw new SseException(401, "NotSignedIn", "The signed-in user changed; reload the console.");
        }
        ApiCall call = new ApiCall(runtime, req, res, requestId, s.caller());
        try {
            if (name.startsWith("kms/")) {
                String action = name.substring(4);
                if (post) {
                    requireCsrf(req, s);
                } else if (!KmsApi.READ_ONLY.contains(action)) {
                    throw new SseException(405, "MethodNotAllowed", action + " changes state: use POST.");
                }
                new KmsApi(call).handle(action);
            } else if (name.startsWith("oss/")) {
                String action = name.substring(4);
                if (post) {
                    requireCsrf(req, s);
                } else if (!action.equals("ListBuckets") && !action.equals("GetBucketEncryption")) {
                    throw new SseException(405, "MethodNotAllowed", action + " changes state: use POST.");
                }
                new BucketApi(call, new AppBuckets(runtime, req, res)).handle(action);
            } else {
                throw notFound();
            }
        } catch (ServletException e) {
            throw OssErrors.internal("The application failed the bucket request.", e);
        }
    }

    /**
     * GET api/Session: the caller's session, created on first use in the modes where the caller is
     * already known (principal, header, no access section); in accessKey mode only Login creates one.
     * In principal and header mode a caller nobody vouches for gets none: it could do nothing with
     * it, and sessions made for anyone who asks would fill the table.
     */
    private void session(HttpServletRequest req, HttpServletResponse res, String requestId, boolean create)
            throws IOException {
        Optional<ConsoleSessions.Session> s = currentSession(req);
        if (s.isPresent() && !stillSameCaller(req, requestId, s.get())) {
            sessions.remove(cookie(req));
            s = Optional.empty();
        }
        if (s.isEmpty() && create && mode() != IdentityMode.ACCESS_KEY) {
            Caller caller = login.ambientCaller(req, requestId);
            if (mode() == null || !caller.anonymous()) {
                ConsoleSessions.Created c = sessions.create(caller);
                res.addHeader("Set-Cookie", cookieHeader(req, c.cookieValue(), sessions.lifetime().toSeconds()));
                s = Optional.of(c.session());
            }
        }
        ApiCall.write(res, 200, sessionJson(s, requestId));
    }

    private void login(HttpServletRequest req, HttpServletResponse res, String requestId) throws IOException {
        if (mode() != IdentityMode.ACCESS_KEY) {
            throw OssErrors.invalidArgument("Login with an AccessKey pair applies only when access.identity is \"accessKey\".");
        }
        requireJson(req);
        ApiCall call = new ApiCall(runtime, req, res, requestId, Caller.anonymousCaller());
        Caller caller = login.withAccessKey(requestId, call.required("AccessKeyId"), call.required("AccessKeySecret"));
        sessions.remove(cookie(req)); // a new login never continues an old session (fixation)
        ConsoleSessions.Created c = sessions.create(caller);
        res.addHeader("Set-Cookie", cookieHeader(req, c.cookieValue(), sessions.lifetime().toSeconds()));
        ApiCall.write(res, 200, sessionJson(Optional.of(c.session()), requestId));
    }

    private com.fasterxml.jackson.databind.node.ObjectNode sessionJson(Optional<ConsoleSessions.Session> s, String requestId) {
        var n = ApiCall.JSON.createObjectNode();
        n.put("IdentityMode", mode() == null ? "none" : mode().configName());
        n.put("ChecksPermissions", runtime.access().isPresent());
        n.put("KmsEnabled", runtime.keys().kmsEnabled());
        n.put("SignedIn", s.isPresent() && !s.get().caller().anonymous());
        s.ifPresent(x -> {
            n.put("User", x.caller().name());
            n.put("CsrfToken", x.csrfToken());
            n.put("ExpiresAt", x.expires().toString());
        });
        n.put("RequestId", requestId);
        return n;
    }

    /** In principal/header mode the session belongs to who the container/proxy says is calling now. */
    private boolean stillSameCaller(HttpServletRequest req, String requestId, ConsoleSessions.Session s) {
        if (mode() == null || mode() == IdentityMode.ACCESS_KEY) {
            return true;
        }
        return login.ambientCaller(req, requestId).equals(s.caller());
    }

    private IdentityMode mode() {
        return runtime.access().map(a -> a.control().identityMode()).orElse(null);
    }

    private Optional<ConsoleSessions.Session> currentSession(HttpServletRequest req) {
        return sessions.find(cookie(req));
    }

    private static String cookie(HttpServletRequest req) {
        jakarta.servlet.http.Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        String found = null;
        for (jakarta.servlet.http.Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                if (found != null) {
                    return null; // two session cookies (cookie tossing): trust neither
                }
                found = c.getValue();
            }
        }
        return found;
    }

    /** HttpOnly, SameSite=Strict, scoped to the admin path; Secure on HTTPS. */
    private String cookieHeader(HttpServletRequest req, String value, long maxAgeSeconds) {
        return COOKIE + "=" + value + "; Path=" + req.getContextPath() + settings.path() + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (req.isSecure() ? "; Secure" : "");
    }

    /**
     * Origin check of state-changing calls: a browser's Origin must be this server's own (scheme +
     * Host) or an allowed one; {@code Origin: null} (sandboxed or privacy-stripped) is refused.
     * Without Origin, Sec-Fetch-Site (if sent) must say same-origin.
     */
    private void checkOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin != null) {
            String own = req.getScheme().toLowerCase(Locale.ROOT) + "://" + String.valueOf(req.getHeader("Host")).toLowerCase(Locale.ROOT);
            String o = origin.trim().toLowerCase(Locale.ROOT);
            if (!o.equals(own) && settings.allowedOrigins().stream().noneMatch(a -> a.equalsIgnoreCase(o))) {
                throw csrf("The request's Origin is not this console's.");
            }
            return;
        }
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw csrf("Cross-site request refused.");
        }
    }

    private static void requireCsrf(HttpServletRequest req, ConsoleSessions.Session s) {
        requireJson(req);
        if (!ConsoleSessions.csrfMatches(s, req.getHeader(CSRF_HEADER))) {
            throw csrf("Missing or wrong CSRF token; reload the console.");
        }
    }

    /** A JSON body: a plain HTML form cannot send it cross-site without a CORS preflight (which nothing here allows). */
    private static void requireJson(HttpServletRequest req) {
        String ct = req.getContentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new SseException(415, "UnsupportedMediaType", "Send the parameters as application/json.");
        }
    }

    private static SseException csrf(String message) {
        return new SseException(403, "InvalidCSRFToken", message);
    }

    private static void requireGet(boolean post) {
        if (post) {
            throw new SseException(405, "MethodNotAllowed", "Use GET.");
        }
    }

    private static void requirePost(boolean post) {
        if (!post) {
            throw new SseException(405, "MethodNotAllowed", "Use POST.");
        }
    }

    private static SseException notFound() {
        return new SseException(404, "NotFound", "No such admin resource.");
    }
}
