package org.vheap.server.console;

import java.time.Instant;

/**
 * One browser's login: the admin token it proved (null when the server requires none), the token its forms carry
 * against cross-site requests, and a message for the next page it shows (what its last action did or why it was
 * refused). Held by {@link ConsoleSessions}; the browser has only the session's id, in an HttpOnly cookie.
 */
final class ConsoleSession {
    final String id;
    final String adminToken;
    final String csrf;
    private Instant lastUsed;
    private Flash flash;

    /** A message shown once, on the next page: {@code error} says whether it tells of a refusal. */
    record Flash(String text, boolean error) {
    }

    ConsoleSession(String id, String adminToken, String csrf, Instant now) {
        this.id = id;
        this.adminToken = adminToken;
        this.csrf = csrf;
        this.lastUsed = now;
    }

    synchronized Instant lastUsed() {
        return lastUsed;
    }

    synchronized void used(Instant now) {
        lastUsed = now;
    }

    synchronized void flash(String text, boolean error) {
        flash = new Flash(text, error);
    }

    /** The message for this page, once; null when there is none. */
    synchronized Flash takeFlash() {
        Flash f = flash;
        flash = null;
        return f;
    }
}
