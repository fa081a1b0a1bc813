package org.vheap.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vheap.server.testing.MutableClock;

class ConsoleSessionsTest {
    @Test
    void aSessionEndsAfterItsIdleTimeAndEachHasItsOwnCsrfToken() {
        MutableClock clock = new MutableClock();
        ConsoleSessions sessions = new ConsoleSessions(clock);
        ConsoleSession s = sessions.open("token");
        ConsoleSession t = sessions.open(null);
        assertThat(s.id).isNotEqualTo(t.id);
        assertThat(s.csrf).isNotEqualTo(t.csrf).isNotEqualTo(s.id).hasSizeGreaterThanOrEqualTo(43);
        assertThat(ConsoleSessions.csrfMatches(s, s.csrf)).isTrue();
        assertThat(ConsoleSessions.csrfMatches(s, t.csrf)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(s, "")).isFalse();

        clock.advance(ConsoleSessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(s.id)).as("used within its idle time").isSameAs(s);
        clock.advance(ConsoleSessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(s.id)).as("its use moved its end").isSameAs(s);
        assertThat(sessions.find(t.id)).as("idle too long").isNull();
        clock.advance(ConsoleSessions.IDLE.plus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.id)).isNull();
        assertThat(sessions.find("made-up")).isNull();
        assertThat(sessions.find(null)).isNull();
    }

    @Test
    void atMostMaxSessionsLiveTheLeastRecentlyUsedGoesFirst() {
        MutableClock clock = new MutableClock();
        ConsoleSessions sessions = new ConsoleSessions(clock);
        ConsoleSession first = sessions.open(null);
        clock.advance(Duration.ofSeconds(1));
        ConsoleSession second = sessions.open(null);
        List<ConsoleSession> more = new ArrayList<>();
        for (int i = 0; i < ConsoleSessions.MAX - 1; i++) {
            clock.advance(Duration.ofMillis(1));
            if (i == 10) {
                assertThat(sessions.find(first.id)).isSameAs(first);   // used again: second is now the oldest
            }
            more.add(sessions.open(null));
        }
        // MAX + 1 opened: the one least recently used went, the others live
        assertThat(sessions.find(second.id)).isNull();
        assertThat(sessions.find(first.id)).isSameAs(first);
        assertThat(more).allSatisfy(s -> assertThat(sessions.find(s.id)).isSameAs(s));
    }
}
