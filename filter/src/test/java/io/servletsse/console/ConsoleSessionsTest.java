package io.servletsse.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.servletsse.auth.Caller;
import io.servletsse.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Console sessions: their secrets stay out of toString, and no caller can end another's by opening many. */
class ConsoleSessionsTest {
    @Test
    void aCallerOpeningManySessions_endsOnlyItsOwnOldest() {
        MutableClock clock = MutableClock.startingAt("2026-12-04T00:00:00Z");
        ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30));
        ConsoleSessions.Created carol = sessions.create(new Caller("carol", false));
        java.util.List<ConsoleSessions.Created> mallory = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * ConsoleSessions.MAX_SESSIONS; i++) {
            clock.advance(Duration.ofMillis(1));
            mallory.add(sessions.create(new Caller("mallory", false)));
        }

        assertThat(sessions.find(carol.cookieValue())).hasValue(carol.session());
        assertThat(mallory).filteredOn(c -> sessions.find(c.cookieValue()).isPresent())
                .hasSize(ConsoleSessions.MAX_SESSIONS_PER_CALLER)
                .containsExactlyElementsOf(mallory.subList(mallory.size() - ConsoleSessions.MAX_SESSIONS_PER_CALLER, mallory.size()));
    }

    @Test
    void toString_redactsTheCookieValueAndTheCsrfToken() {
        ConsoleSessions sessions = new ConsoleSessions(MutableClock.startingAt("2026-12-04T00:00:00Z"), Duration.ofMinutes(30));
        ConsoleSessions.Created c = sessions.create(new Caller("carol", false));

        assertThat(c.toString()).doesNotContain(c.cookieValue()).doesNotContain(c.session().csrfToken())
                .contains("carol", "2026-12-04T00:30:00Z", "<redacted>");
        assertThat(c.session().toString()).doesNotContain(c.session().csrfToken());
    }
}
