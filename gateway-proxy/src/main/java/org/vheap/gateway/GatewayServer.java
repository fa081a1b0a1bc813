package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTls;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;

/**
 * The gateway: a gRPC server that serves its own health checking and forwards every other call, undecoded,
 * to a heap server of its {@link BackendPool}. The {@link ServerBuilder} is passed in (a Netty port, or
 * in-process in tests); the backend channels are made from the configured addresses and belong to this
 * server. {@link #stop} shuts down in order: health turns NOT_SERVING, no new calls, calls in flight get
 * the drain time and are then cancelled (which cancels their backend calls), then the backend channels
 * close.
 */
public final class GatewayServer {
    /** Devices ping every 20 s on idle control streams; the gateway must not call that abuse. */
    private static final long PERMIT_KEEPALIVE_SECONDS = 10;

    private final Server server;
    private final BackendPool backends;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Duration drain;

    /** A gateway on {@code builder} forwarding to the configured backends over plaintext Netty channels. */
    public GatewayServer(ServerBuilder<?> builder, GatewayConfig config) {
        this(builder, config, address -> backendChannel(address, config.maxMessageBytes(), config.security().backendTls()));
    }

    /** As above, with the channel to each backend made by {@code channels}. */
    public GatewayServer(ServerBuilder<?> builder, GatewayConfig config,
                         Function<BackendAddress, ManagedChannel> channels) {
        config.validate();
        this.drain = config.drain();
        this.backends = new BackendPool(config.backends(), channels, new FirstAvailableRouter());
        this.server = builder
                .maxInboundMessageSize(config.maxMessageBytes())
                .addService(health.getHealthService())
                .fallbackHandlerRegistry(new ProxyHandlerRegistry(backends))
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
        } catch (IOException | RuntimeException e) {
            backends.close();
            throw e;
        }
        backends.connect();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(HeapStoreGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(DeviceControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    public BackendPool backends() {
        return backends;
    }

    /**
     * Stops in order: health NOT_SERVING, no new calls, calls in flight get the drain time, then are
     * cancelled; then the backend channels shut down. Bounded: about the drain time plus a few seconds.
     */
    public void stop() throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        backends.shutdown(Duration.ofSeconds(5));
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }
}
