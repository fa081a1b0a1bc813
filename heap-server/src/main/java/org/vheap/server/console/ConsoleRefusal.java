package org.vheap.server.console;

/**
 * A request the console answers with a page saying why it was refused (an HTTP status and one message), or with a
 * redirect when {@code redirectTo} is set. Thrown by handlers and the access check; {@link ConsoleServer} renders it.
 */
final class ConsoleRefusal extends RuntimeException {
    final int status;
    final String redirectTo;

    ConsoleRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
        this.redirectTo = null;
    }

    private ConsoleRefusal(String redirectTo) {
        super("see " + redirectTo, null, false, false);
        this.status = 303;
        this.redirectTo = redirectTo;
    }

    static ConsoleRefusal redirect(String to) {
        return new ConsoleRefusal(to);
    }
}
