package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vheap.metrics.MetricsEndpoint;
import org.vheap.metrics.ServerCallMetrics;

/**
 * The gateway: a gRPC server that serves its own health checking and forwards every other call, undecoded,
 * to a heap server of its {@link BackendPool}. The {@link ServerBuilder} is passed in (a Netty port, or
 * in-process in tests); the backend channels are made from the configured addresses and belong to this
 * server. {@link #stop} shuts down in order: health turns NOT_SERVING, no new calls, calls in flight get
 * the drain time and are then cancelled (which cancels their backend calls), then the backend channels
 * close. Its health is SERVING only while a backend is up ({@link GatewayHealth}); backends are checked
 * every {@code --health-interval} ({@link BackendHealthChecks}); with {@code --metrics-port} it serves
 * {@code GET /metrics}.
 */
public final class GatewayServer {
    /** Devices ping every 20 s on idle control streams; the gateway must not call that abuse. */
    private static final long PERMIT_KEEPALIVE_SECONDS = 10;

    private final Server server;
    private final BackendPool backends;
    private final GatewayHealth health = new GatewayHealth();
    private final Duration drain;
    private final GatewayConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private BackendHealthChecks checks;
    private MetricsEndpoint metrics;

    /** A gateway on {@code builder} forwarding to the configured backends over plaintext Netty channels. */
    public GatewayServer(ServerBuilder<?> builder, GatewayConfig config) {
        this(builder, config, address -> backendChannel(address, config.maxMessageBytes(), config.security().backendTls()));
    }

    /** As above, with the channel to each backend made by {@code channels}. */
    public GatewayServer(ServerBuilder<?> builder, GatewayConfig config,
                         Function<BackendAddress, ManagedChannel> channels) {
        config.validate();
        this.drain = config.drain();
        this.config = config;
        this.backends = new BackendPool(config.backends(), channels, new RendezvousRouter(), health::changed);
        this.server = builder
                .maxInboundMessageSize(config.maxMessageBytes())
                .addStreamTracerFactory(new ServerCallMetrics(registry, System::nanoTime))
                .addService(health.manager().getHealthService())
                .fallbackHandlerRegistry(new ProxyHandlerRegistry(Forwarding.of(config, backends, registry, System::nanoTime)))
                .build();
    }

    /**
     * The Netty server builder for a configuration: its address, TLS if configured, keepalive as the heap
     * server permits.
     */
    public static NettyServerBuilder nettyBuilder(GatewayConfig config) {
        ServerTls tls = config.security().serverTls();
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        return (tls == null ? NettyServerBuilder.forAddress(address) : NettyServerBuilder.forAddress(address, tls.credentials()))
                .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
    }

    /** A channel to one heap server, plaintext or TLS; keepalive holds long control streams open. */
    static ManagedChannel backendChannel(BackendAddress address, int maxMessageBytes, ClientTls tls) {
        return NettyChannelBuilder.forTarget(address.toString(), tls.credentials())
                .intercept(tls.mismatchHints())
                .maxInboundMessageSize(maxMessageBytes)
                .keepAliveTime(20, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
    }

    public GatewayServer start() throws IOException {
        try {
            server.start();
            if (config.metricsPort() != 0) {
                metrics = MetricsEndpoint.start(config.host(), config.metricsPort(), registry);
            }
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            backends.close();
            throw e;
        }
        backends.connect();
        health.start(backends);
        checks = new BackendHealthChecks(backends.backends(), config.healthInterval()).start();
        return this;
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    public BackendPool backends() {
        return backends;
    }

    /** The port of {@code GET /metrics}; 0 without one. */
    public int metricsPort() {
        return metrics == null ? 0 : metrics.port();
    }

    /** The gateway's meters (what {@code GET /metrics} shows). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Stops in order: health NOT_SERVING, no new calls, calls in flight get the drain time, then are
     * cancelled; then the backend channels shut down. Bounded: about the drain time plus a few seconds.
     */
    public void stop() throws InterruptedException {
        health.stop();
        if (checks != null) {
            checks.close();
        }
        server.shutdown();
        if (!server.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        backends.shutdown(Duration.ofSeconds(5));
        if (metrics != null) {
            metrics.close();
        }
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }
}
