package org.vheap.gateway;

/**
 * A heap server's address as given on the command line: {@code HOST:PORT} (an IPv6 host in brackets,
 * {@code [::1]:7700}). {@link #parse} rejects anything else with a message naming the bad value.
 */
public record BackendAddress(String host, int port) {

    public BackendAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("backend host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("backend port must be 1..65535, got " + port);
        }
    }

    /** Parses {@code HOST:PORT}; the message of the IllegalArgumentException says what to fix. */
    public static BackendAddress parse(String text) {
        String bad = "--backend '" + text + "' is not HOST:PORT";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--backend is empty; give HOST:PORT");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(bad);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            throw new IllegalArgumentException(bad + " (write an IPv6 host in brackets: [::1]:7700)");
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace) || host.contains("/")) {
            throw new IllegalArgumentException(bad);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--backend '" + text + "': port must be 1..65535");
        }
        return new BackendAddress(host, port);
    }

    /** {@code HOST:PORT} as it parses back (IPv6 hosts in brackets). */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
