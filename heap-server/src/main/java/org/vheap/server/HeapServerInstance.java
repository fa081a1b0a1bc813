package org.vheap.server;

import io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.metrics.MetricsEndpoint;
import org.vheap.metrics.ServerCallMetrics;
import org.vheap.security.InsecureExposure;
import org.vheap.security.LoopbackAddresses;
import org.vheap.security.ServerTls;
import org.vheap.security.TlsReloader;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.control.DeviceMeters;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.PgHeapStore;

/**
 * A running heap server with its database, as started from a {@link HeapServerConfig}: the embedded
 * PostgreSQL (or the pool to an external one), the store and the gRPC server on Netty, whose health follows
 * the database (checked every {@link HeapServerConfig#dbCheckInterval()}). {@link #close()} shuts down in
 * order: health NOT_SERVING, stop taking calls and checking the database, drain the calls, let the background
 * reclaiming finish (bounded), then close the pool, then stop the embedded database.
 */
public final class HeapServerInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeapServerInstance.class);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final HeapDatabase database;
    private final ExecutorService reclaimer;
    private final HeapServer server;
    private final String address;
    private final MetricsEndpoint metrics;   // null without --metrics-port
    private final TlsReloader tlsReloader;   // null without --tls-reload
    private final ServerWarmUp warmUp;   // null with --no-warm-up
    private final HeapConsole console;   // null without --console-port
    private final DeviceMeters deviceMeters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HeapServerInstance(HeapDatabase database, ExecutorService reclaimer, HeapServer server, String address,
                               MetricsEndpoint metrics, TlsReloader tlsReloader, ServerWarmUp warmUp, HeapConsole console,
                               DeviceMeters deviceMeters) {
        this.database = database;
        this.reclaimer = reclaimer;
        this.server = server;
        this.address = address;
        this.metrics = metrics;
        this.tlsReloader = tlsReloader;
        this.warmUp = warmUp;
        this.console = console;
        this.deviceMeters = deviceMeters;
    }

    public static HeapServerInstance start(HeapServerConfig config, Clock clock) throws IOException {
        config.validate();
        ServerTls tls = config.security().tls();   // before the database starts: a bad pair fails fast
        HeapDatabase db = config.dbUrl() == null
                ? HeapDatabase.embedded(config.dataDir(), config.poolSize())
                : HeapDatabase.external(config.dbUrl(), config.dbUser(), config.dbPassword(), config.poolSize(),
                        config.citusRouteToWorkers());
        ExecutorService reclaimer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vheap-reclaim");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint metrics = null;
        TlsReloader tlsReloader = null;
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PgHeapStore store = new PgHeapStore(db.dataSource(), db.routing(), clock, config.storeSettings(), reclaimer);
            AccessPolicy access = config.security().policy(new AppTokens(db.dataSource()),
                    new DeviceTokens(db.dataSource()));
            InetSocketAddress listen = new InetSocketAddress(config.host(), config.port());
            if (tls != null && config.security().tlsReload() != null) {
                tlsReloader = tls.reloading(config.security().tlsReload(), log::info, log::warn);
            }
            NettyServerBuilder builder = (tls == null ? NettyServerBuilder.forAddress(listen)
                    : NettyServerBuilder.forAddress(listen, tlsReloader != null ? tlsReloader.credentials() : tls.credentials()))
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .addStreamTracerFactory(new ServerCallMetrics(registry, System::nanoTime));
            if (config.metricsPort() != 0) {
                metrics = MetricsEndpoint.start(config.host(), config.metricsPort(), registry);
                log.info("metrics on http://{}:{}/metrics", config.host(), metrics.port());
            }
            store.reclaimEverythingLater();   // before serving: a failure here leaves nothing running
            HeapServer server = new HeapServer(builder, store, config.commandTimeout(), access)
                    .checkDatabaseEvery(config.dbCheckInterval()).start();
            String address = config.host() + ":" + server.port();
            log.info("vheap heap server listening on {} (gRPC, max message {} bytes); heaps stored in {}; retaining {} checkpoints per app",
                    address, config.maxMessageBytes(), db.description(), config.retain());
            log.info("security: {}; {}", tls == null ? "plaintext (no TLS)" : "TLS with certificate " + tls.certFile().toAbsolutePath()
                    + " (clients: --tls --tls-ca " + tls.certFile().toAbsolutePath() + " if it is self-signed)",
                    access.required() ? "access tokens required (admin token in " + config.security().adminTokenFile().toAbsolutePath() + ")"
                            : "access tokens not required");
            if (access.remoteGuard().active()) {
                if (!LoopbackAddresses.isLoopback(config.host())) {
                    log.info("protected mode: heap and control calls from other machines are refused until --require-tokens"
                            + " (or --allow-remote-without-tokens on a network you trust); health checks are answered");
                }
            } else {
                InsecureExposure.warning("heap server", config.host(), tls != null, access.required()).ifPresent(log::warn);
            }
            HeapConsole console = null;
            DeviceMeters deviceMeters;
            try {
                if (config.consolePort() != 0) {
                    console = HeapConsole.start(config, access, tls, server, registry, db, clock);
                }
                deviceMeters = DeviceMeters.start(registry, server::devices, clock);
            } catch (RuntimeException e) {   // a console port taken, say: nothing is left running
                if (console != null) {
                    console.close();
                }
                server.stop(Duration.ZERO);
                throw e;
            }
            // the rehearsal holds one connection of the pool while it runs: not when that is the only one
            ServerWarmUp warmUp = config.warmUp() && config.poolSize() > 1
                    ? ServerWarmUp.start(db.dataSource(), clock, config.storeSettings()) : null;
            return new HeapServerInstance(db, reclaimer, server, address, metrics, tlsReloader, warmUp, console, deviceMeters);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        } catch (IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            if (tlsReloader != null) {
                tlsReloader.close();
            }
            reclaimer.shutdownNow();
            db.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** The port of {@code GET /metrics}; 0 when the server has no metrics endpoint. */
    public int metricsPort() {
        return metrics == null ? 0 : metrics.port();
    }

    /** The port of the web console; 0 when the server has none. */
    public int consolePort() {
        return console == null ? 0 : console.port();
    }

    /** host:port as listened on. */
    public String address() {
        return address;
    }

    /** The pool of the database it serves, for tools working on the same database (the benchmark). */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.blockUntilShutdown();
    }

    /** Stops it (see the class comment); a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (console != null) {
                console.close();   // first: no page starts a call into a stopping server
            }
            deviceMeters.close();
            server.stop(DRAIN);
            reclaimer.shutdown();
            if (!reclaimer.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("background reclaiming did not finish in {}; unneeded versions left are reclaimed later", DRAIN);
                reclaimer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            if (tlsReloader != null) {
                tlsReloader.close();
            }
            if (warmUp != null) {
                warmUp.stop(DRAIN);   // it holds a connection of the pool closed next
            }
            database.close();
            log.info("vheap heap server on {} stopped", address);
        }
    }
}
