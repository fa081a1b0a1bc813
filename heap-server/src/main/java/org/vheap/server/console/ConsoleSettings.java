package org.vheap.server.console;

/**
 * How the console is served: where it listens, whether logging in takes the admin token ({@code tokensRequired}),
 * whether browsers on other machines are refused while it does not ({@code refuseRemote}: protected mode, as for
 * gRPC), its TLS identity ({@code tls}, null for plain HTTP: served over TLS, its cookies are marked Secure), and the largest heap
 * image an import may upload.
 */
public record ConsoleSettings(String host, int port, boolean tokensRequired, boolean refuseRemote,
                              org.vheap.security.ServerTls tls, long maxUploadBytes) {
    /** Whether cookies are marked Secure: the console is served over TLS. */
    public boolean secureCookies() {
        return tls != null;
    }

    public ConsoleSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the console needs a host to listen on");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--console-port must be 0..65535, got " + port);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("the console's upload limit must be positive, got " + maxUploadBytes);
        }
    }
}
