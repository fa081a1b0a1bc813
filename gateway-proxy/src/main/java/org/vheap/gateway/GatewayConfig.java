package org.vheap.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run a gateway. Setters reject impossible values at once, with a message naming the option to
 * fix; {@link #validate()} checks what only the whole configuration shows (at least one backend).
 */
public final class GatewayConfig {
    private String host = "0.0.0.0";
    private int port = 7800;
    private final List<BackendAddress> backends = new ArrayList<>();
    private int maxMessageBytes = 16 << 20;
    private Duration drain = Duration.ofSeconds(10);
    private GatewaySecurity security = new GatewaySecurity();

    public GatewayConfig setHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host is empty");
        }
        this.host = host;
        return this;
    }

    /** 0 picks a free port. */
    public GatewayConfig setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        this.port = port;
        return this;
    }

    /** Replaces the backends with these {@code HOST:PORT} strings, in routing order. */
    public GatewayConfig setBackends(List<String> targets) {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("the gateway needs at least one --backend HOST:PORT");
        }
        List<BackendAddress> parsed = new ArrayList<>();
        for (String t : targets) {
            BackendAddress a = BackendAddress.parse(t);
            if (parsed.contains(a)) {
                throw new IllegalArgumentException("--backend " + a + " is given twice");
            }
            parsed.add(a);
        }
        backends.clear();
        backends.addAll(parsed);
        return this;
    }

    /** The largest message forwarded, either way (the heap server's default is 16 MiB). */
    public GatewayConfig setMaxMessageBytes(int maxMessageBytes) {
        if (maxMessageBytes < 64 << 10) {
            throw new IllegalArgumentException("--max-message must be at least 65536 bytes, got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    /** How long a stopping gateway lets calls in flight finish before cancelling them. */
    public GatewayConfig setDrain(Duration drain) {
        if (drain == null || drain.isNegative()) {
            throw new IllegalArgumentException("the drain time must be zero or more, got " + drain);
        }
        this.drain = drain;
        return this;
    }

    /** TLS towards devices and towards backends (default: plaintext on both). */
    public GatewayConfig setSecurity(GatewaySecurity security) {
        if (security == null) {
            throw new IllegalArgumentException("security is null");
        }
        this.security = security;
        return this;
    }

    /** Checks the whole configuration; throws IllegalArgumentException naming what to fix. */
    public GatewayConfig validate() {
        security.validate();
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("the gateway needs at least one --backend HOST:PORT");
        }
        return this;
    }

    public String host() { return host; }
    public int port() { return port; }
    public List<BackendAddress> backends() { return List.copyOf(backends); }
    public int maxMessageBytes() { return maxMessageBytes; }
    public Duration drain() { return drain; }
    public GatewaySecurity security() { return security; }
}
