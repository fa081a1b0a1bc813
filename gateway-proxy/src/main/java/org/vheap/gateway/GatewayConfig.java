package org.vheap.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run a gateway. Setters reject impossible values at once, with a message naming the option to
 * fix; {@link #validate()} checks what only the whole configuration shows (at least one backend, an
 * in-flight bound that a largest message fits in, distinct ports).
 */
public final class GatewayConfig {
    private String host = "0.0.0.0";
    private int port = 7800;
    private final List<BackendAddress> backends = new ArrayList<>();
    private int maxMessageBytes = 16 << 20;
    private Duration drain = Duration.ofSeconds(10);
    private Duration healthInterval = Duration.ofSeconds(5);
    private long systemCacheBytes = 256L << 20;
    private double deviceRate;                       // calls per second per device; 0: no limit
    private long maxInflightBytes = 64L << 20;
    private Duration backendTimeout = Duration.ofSeconds(60);
    private int metricsPort;                         // 0: no metrics endpoint
    private GatewaySecurity security = new GatewaySecurity();
    private int eventLoops = Runtime.getRuntime().availableProcessors();

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

    /** How often each backend's gRPC health is checked (at least 100 ms). */
    public GatewayConfig setHealthInterval(Duration healthInterval) {
        if (healthInterval == null || healthInterval.toMillis() < 100) {
            throw new IllegalArgumentException("--health-interval must be at least 100 ms, got " + healthInterval);
        }
        this.healthInterval = healthInterval;
        return this;
    }

    /** Bytes of system blobs the gateway keeps (LRU); 0 turns the cache off. */
    public GatewayConfig setSystemCacheBytes(long systemCacheBytes) {
        if (systemCacheBytes < 0) {
            throw new IllegalArgumentException("--system-cache must be 0 (off) or more bytes, got " + systemCacheBytes);
        }
        this.systemCacheBytes = systemCacheBytes;
        return this;
    }

    /** Calls per second one device may start (a burst of one second's worth); 0: no limit. */
    public GatewayConfig setDeviceRate(double deviceRate) {
        if (!(deviceRate >= 0) || Double.isInfinite(deviceRate)) {
            throw new IllegalArgumentException("--device-rate must be 0 (no limit) or more calls/s, got " + deviceRate);
        }
        this.deviceRate = deviceRate;
        return this;
    }

    /** Bytes received from one client connection and not yet taken by a backend, at most. */
    public GatewayConfig setMaxInflightBytes(long maxInflightBytes) {
        if (maxInflightBytes < 64 << 10) {
            throw new IllegalArgumentException("--max-inflight must be at least 65536 bytes, got " + maxInflightBytes);
        }
        this.maxInflightBytes = maxInflightBytes;
        return this;
    }

    /** The deadline given to unary and client-streaming calls that come without one. */
    public GatewayConfig setBackendTimeout(Duration backendTimeout) {
        if (backendTimeout == null || backendTimeout.isNegative() || backendTimeout.isZero()) {
            throw new IllegalArgumentException("--backend-timeout must be positive, got " + backendTimeout);
        }
        this.backendTimeout = backendTimeout;
        return this;
    }

    /** The port of {@code GET /metrics} on the gateway's host; 0: no endpoint. */
    public GatewayConfig setMetricsPort(int metricsPort) {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0..65535 (0: off), got " + metricsPort);
        }
        this.metricsPort = metricsPort;
        return this;
    }

    /**
     * Netty event loops, shared by device connections and backend channels (one channel per loop to each
     * backend); forwarded calls run on them. Default: one per processor.
     */
    public GatewayConfig setEventLoops(int eventLoops) {
        if (eventLoops < 1 || eventLoops > 256) {
            throw new IllegalArgumentException("--event-loops must be 1..256, got " + eventLoops);
        }
        this.eventLoops = eventLoops;
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
        if (maxInflightBytes < maxMessageBytes) {
            throw new IllegalArgumentException("--max-inflight (" + maxInflightBytes + ") must be at least --max-message ("
                    + maxMessageBytes + "): a message larger than it could never pass");
        }
        if (metricsPort != 0 && metricsPort == port) {
            throw new IllegalArgumentException("--metrics-port must differ from --port (" + port + ")");
        }
        return this;
    }

    public String host() { return host; }
    public int port() { return port; }
    public List<BackendAddress> backends() { return List.copyOf(backends); }
    public int maxMessageBytes() { return maxMessageBytes; }
    public Duration drain() { return drain; }
    public Duration healthInterval() { return healthInterval; }
    public long systemCacheBytes() { return systemCacheBytes; }
    public double deviceRate() { return deviceRate; }
    public long maxInflightBytes() { return maxInflightBytes; }
    public Duration backendTimeout() { return backendTimeout; }
    public int metricsPort() { return metricsPort; }
    public GatewaySecurity security() { return security; }
    public int eventLoops() { return eventLoops; }
}
