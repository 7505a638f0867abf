package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.auth.Caller;
import io.servletsse.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A session's cookie value and CSRF token are its secrets: its toString shows neither. */
class ConsoleSessionsTest {
    @Test
    void toString_redactsTheCookieValueAndTheCsrfToken() {
        ConsoleSessions sessions = new ConsoleSessions(MutableClock.startingAt("2026-12-04T00:00:00Z"), Duration.ofMinutes(30));
        ConsoleSessions.Created c = sessions.create(new Caller("carol", false));

        assertThat(c.toString()).doesNotContain(c.cookieValue()).doesNotContain(c.session().csrfToken())
                .contains("carol", "2026-12-04T00:30:00Z", "<redacted>");
        assertThat(c.session().toString()).doesNotContain(c.session().csrfToken());
    }
}
