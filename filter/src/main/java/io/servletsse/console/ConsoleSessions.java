package io.servletsse.console;

import io.servletsse.auth.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Console logins, in memory: a random 256-bit session id (the HttpOnly cookie) and a random
 * 256-bit CSRF token per session (the synchronizer token the console's script sends back in a
 * header). Sessions end at an absolute time (not extended by use) read from the injected clock.
 *
 * <p>Sessions are stored under the SHA-256 of their id, so a lookup's timing cannot leak the id,
 * and a heap dump does not hold usable cookies. At most {@value #MAX_SESSIONS} live sessions: when
 * full, expired ones go first, then the one that would expire soonest. Sessions are per filter
 * instance: behind a load balancer, use sticky sessions or log in per node.
 */
final class ConsoleSessions {
    static final int MAX_SESSIONS = 1000;
    /** Sessions one caller may hold: a caller opening more ends its own oldest, never another's. */
    static final int MAX_SESSIONS_PER_CALLER = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A logged-in console user. */
    record Session(Caller caller, String csrfToken, Instant expires) {
        @Override
        public String toString() {
            return "Session[caller=" + caller.name() + ", csrfToken=<redacted>, expires=" + expires + "]";
        }
    }

    /** A new session and the cookie value that names it. */
    record Created(String cookieValue, Session session) {
        @Override
        public String toString() {
            return "Created[cookieValue=<redacted>, session=" + session + "]";
        }
    }

    private final Clock clock;
    private final Duration lifetime;
    private final Map<String, Session> byDigest = new HashMap<>();

    ConsoleSessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    synchronized Created create(Caller caller) {
        Instant now = clock.instant();
        byDigest.values().removeIf(s -> !s.expires().isAfter(now));
        if (byDigest.values().stream().filter(s -> s.caller().equals(caller)).count() >= MAX_SESSIONS_PER_CALLER) {
            removeSoonestExpiring(caller);
        }
        if (byDigest.size() >= MAX_SESSIONS) {
            removeSoonestExpiring(null); // a backstop: takes more distinct callers than a console has
        }
        String id = randomToken();
        Session s = new Session(caller, randomToken(), now.plus(lifetime));
        byDigest.put(digest(id), s);
        return new Created(id, s);
    }

    private void removeSoonestExpiring(Caller of) {
        byDigest.entrySet().stream().filter(e -> of == null || e.getValue().caller().equals(of))
                .min(Map.Entry.comparingByValue((a, b) -> a.expires().compareTo(b.expires())))
                .map(Map.Entry::getKey).ifPresent(byDigest::remove);
    }

    /** The live session a cookie names; expired sessions are removed and not returned. */
    synchronized Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        String d = digest(cookieValue);
        Session s = byDigest.get(d);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expires().isAfter(clock.instant())) {
            byDigest.remove(d);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    synchronized void remove(String cookieValue) {
        if (cookieValue != null) {
            byDigest.remove(digest(cookieValue));
        }
    }

    Duration lifetime() {
        return lifetime;
    }

    /** Constant-time comparison of a presented CSRF token with the session's. */
    static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrfToken().getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
