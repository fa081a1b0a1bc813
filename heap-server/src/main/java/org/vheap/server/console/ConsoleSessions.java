package org.vheap.server.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory (a restart logs everyone out). A session ends after {@link #IDLE} without a
 * request; at most {@link #MAX} live at once (the least recently used goes first), so a flood of logins cannot
 * grow the server's memory. Ids and CSRF tokens are 256 random bits from {@link SecureRandom}.
 */
final class ConsoleSessions {
    static final Duration IDLE = Duration.ofHours(8);
    static final int MAX = 1000;

    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session for a browser that proved {@code adminToken} (null: none needed). */
    ConsoleSession open(String adminToken) {
        Instant now = clock.instant();
        expire(now);
        if (sessions.size() >= MAX) {
            sessions.values().stream().min(java.util.Comparator.comparing(ConsoleSession::lastUsed))
                    .ifPresent(oldest -> sessions.remove(oldest.id));
        }
        ConsoleSession s = new ConsoleSession(randomId(), adminToken, randomId(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session of this id, marked used; null for none, an unknown id or an expired one. */
    ConsoleSession find(String id) {
        if (id == null) {
            return null;
        }
        ConsoleSession s = sessions.get(id);
        Instant now = clock.instant();
        if (s == null || s.lastUsed().plus(IDLE).isBefore(now)) {
            if (s != null) {
                sessions.remove(id);
            }
            return null;
        }
        s.used(now);
        return s;
    }

    void close(ConsoleSession s) {
        sessions.remove(s.id);
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    static boolean csrfMatches(ConsoleSession s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private void expire(Instant now) {
        for (Iterator<ConsoleSession> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().lastUsed().plus(IDLE).isBefore(now)) {
                it.remove();
            }
        }
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
