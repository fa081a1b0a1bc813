package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.security.ClientTls;
import org.vheap.security.ServerTls;
import org.vheap.security.TlsReloader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
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
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** Devices ping every 20 s on idle control streams; the gateway must not call that abuse. */
    private static final long PERMIT_KEEPALIVE_SECONDS = 10;

    private final Server server;
    private final BackendPool backends;
    private final GatewayHealth health = new GatewayHealth();
    private final Duration drain;
    private final GatewayConfig config;
    private final GatewayLoops loops;              // null in process
    private final TlsReloader tlsReloader;         // null without --tls-reload
    private final ExecutorService blobWork;        // checks system blobs' hashes off the loops
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private BackendHealthChecks checks;
    private MetricsEndpoint metrics;

    /**
     * A gateway on {@code builder} (in process, in tests) forwarding over the channel {@code channels} makes
     * for each backend; calls run on the builder's executor.
     */
    public GatewayServer(ServerBuilder<?> builder, GatewayConfig config,
                         Function<BackendAddress, ManagedChannel> channels) {
        this(builder, config, a -> List.of(channels.apply(a)), () -> 0, null, null);
    }

    private GatewayServer(ServerBuilder<?> builder, GatewayConfig config,
                          Function<BackendAddress, List<ManagedChannel>> lanes, IntSupplier lane, GatewayLoops loops,
                          TlsReloader tlsReloader) {
        config.validate();
        this.drain = config.drain();
        this.config = config;
        this.loops = loops;
        this.tlsReloader = tlsReloader;
        this.blobWork = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                new DefaultThreadFactory("vheap-gateway-blobs", true));
        this.backends = new BackendPool(config.backends(), lanes, lane, new RendezvousRouter(), health::changed);
        try {
            this.server = buildServer(builder, config);
        } catch (RuntimeException e) {
            backends.close();
            blobWork.shutdownNow();
            throw e;
        }
    }

    private Server buildServer(ServerBuilder<?> builder, GatewayConfig config) {
        return builder
                .maxInboundMessageSize(config.maxMessageBytes())
                .addStreamTracerFactory(new ServerCallMetrics(registry, System::nanoTime))
                .addService(health.manager().getHealthService())
                .fallbackHandlerRegistry(new ProxyHandlerRegistry(
                        Forwarding.of(config, backends, registry, System::nanoTime, blobWork)))
                .build();
    }

    /**
     * The gateway of a configuration on Netty: its address, TLS if configured, keepalive as the heap server
     * permits; device connections and backend channels share {@code --event-loops} loops and calls run on
     * them ({@link GatewayLoops}), one channel per loop to each backend.
     */
    public static GatewayServer netty(GatewayConfig config) {
        config.validate();
        GatewayLoops loops = new GatewayLoops(config.eventLoops());
        TlsReloader reloader = null;
        try {
            ServerTls tls = config.security().serverTls();
            if (tls != null && config.security().serverTlsReload() != null) {
                reloader = tls.reloading(config.security().serverTlsReload(), log::info, log::warn);
            }
            NettyServerBuilder builder = loops.serverBuilder(new InetSocketAddress(config.host(), config.port()),
                            tls == null ? null : reloader != null ? reloader.credentials() : tls.credentials())
                    .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true);
            ClientTls backendTls = config.security().backendTls();
            return new GatewayServer(builder, config,
                    a -> loops.lanes(loop -> backendChannel(a, loop, config.maxMessageBytes(), backendTls)),
                    loops::lane, loops, reloader);
        } catch (RuntimeException e) {
            if (reloader != null) {
                reloader.close();
            }
            loops.close();
            throw e;
        }
    }

    /**
     * A channel to one heap server on one event loop, plaintext or TLS, answers delivered on the loop;
     * keepalive holds long control streams open.
     */
    static ManagedChannel backendChannel(BackendAddress address, EventLoop loop, int maxMessageBytes, ClientTls tls) {
        return NettyChannelBuilder.forTarget(address.toString(), tls.credentials())
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .directExecutor()
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
            closeOwnThreads();
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
        closeOwnThreads();
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The blob pool, the event loops (after the channels on them) and the TLS reloader's thread. */
    private void closeOwnThreads() {
        blobWork.shutdownNow();
        if (loops != null) {
            loops.close();
        }
        if (tlsReloader != null) {
            tlsReloader.close();
        }
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }
}
