package org.vheap.server;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.DeviceInfo;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.control.DeviceControlService;
import org.vheap.server.control.DeviceRegistry;
import org.vheap.server.grpc.HeapStoreService;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.StoreStatusCodes;

/**
 * The heap server: serves {@code vheap.v1.HeapStore} and {@code vheap.v1.DeviceControl}, gRPC health
 * checking and server reflection over one {@link PgHeapStore}. Reflection answers in both versions clients
 * speak: {@code grpc.reflection.v1} and {@code grpc.reflection.v1alpha} (grpc-js based tools, several GUI
 * clients and older grpcurl know only the latter). The {@link ServerBuilder} is passed in, so
 * tests can run it in-process or on a loopback port; the caller owns the store's database and closes it
 * after {@link #stop}. The attached devices live in memory for the server's life; {@link #stop} ends their
 * control streams, so they attach again elsewhere. Access is checked by an {@link AccessPolicy} (by default
 * none is required); TLS is the builder's (e.g. {@code NettyServerBuilder.forAddress(address, credentials)}).
 *
 * <p>With {@link #checkDatabaseEvery} its health follows the database: the overall service ({@code ""}) and
 * {@code vheap.v1.HeapStore} turn NOT_SERVING when the database stops answering a periodic {@code SELECT 1}
 * and SERVING again when it answers ({@link DatabaseHealth}); a call that fails because the store found the
 * database unavailable asks for a check at once.
 */
public final class HeapServer {
    private static final Logger log = LoggerFactory.getLogger(HeapServer.class);
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService flushes = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "vheap-commit-flush");
        t.setDaemon(true);
        return t;
    });

    private final DeviceRegistry devices;
    private final PgHeapStore store;
    /** The same services with the same checks, in process, for the web console (its calls carry the browser's address). */
    private final Server inProcess;
    private final String inProcessName = "vheap-heap-server-" + UUID.randomUUID();
    private ScheduledExecutorService databaseChecks;   // null unless checkDatabaseEvery
    private volatile DatabaseHealth databaseHealth;   // null unless checkDatabaseEvery

    /** A server whose device commands wait {@link DeviceControlService#DEFAULT_COMMAND_TIMEOUT} for an answer. */
    public HeapServer(ServerBuilder<?> builder, PgHeapStore store) {
        this(builder, store, DeviceControlService.DEFAULT_COMMAND_TIMEOUT);
    }

    /** @param commandTimeout how long a suspend or resume waits for the device's answer */
    public HeapServer(ServerBuilder<?> builder, PgHeapStore store, Duration commandTimeout) {
        this(builder, store, commandTimeout, AccessPolicy.open(new AppTokens(store.dataSource()),
                new DeviceTokens(store.dataSource())));
    }

    /** @param access who may call what (tokens); see {@link AccessPolicy} */
    public HeapServer(ServerBuilder<?> builder, PgHeapStore store, Duration commandTimeout, AccessPolicy access) {
        this.store = store;
        this.devices = new DeviceRegistry(store.clock());
        HeapStoreService heapStore = new HeapStoreService(store, flushes, new AppTokens(store.dataSource()), access,
                System::nanoTime);
        DeviceControlService control = new DeviceControlService(store, devices, commandTimeout, access,
                new DeviceTokens(store.dataSource()));
        this.server = checked(builder, access, heapStore, control)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(reflectionV1alpha())
                .build();
        this.inProcess = checked(InProcessServerBuilder.forName(inProcessName), access, heapStore, control)
                .addService(health.getHealthService())
                .build();
    }

    private ServerBuilder<?> checked(ServerBuilder<?> builder, AccessPolicy access, HeapStoreService heapStore,
                                     DeviceControlService control) {
        return builder
                .intercept(access.interceptor())
                .intercept(storeUnavailableWatcher())
                .intercept(access.remoteGuard())   // added last, runs first: refused before anything else
                .addService(heapStore)
                .addService(control);
    }

    /**
     * A channel to this server's services in process, checked as calls over the network are (tokens, protected
     * mode: a call carrying {@code VheapHeaders.FORWARDED_FOR} is judged by the address named there). The caller
     * shuts it down; it works between {@link #start} and {@link #stop}.
     */
    public ManagedChannel inProcessChannel() {
        return InProcessChannelBuilder.forName(inProcessName).build();
    }

    /**
     * {@code grpc.reflection.v1alpha.ServerReflection}, which grpc-java deprecates in favour of v1 but which
     * clients that speak only v1alpha still ask (they get UNIMPLEMENTED without it); it answers from the same
     * descriptors as v1.
     */
    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService reflectionV1alpha() {
        return ProtoReflectionService.newInstance();
    }

    /**
     * Before {@link #start}: makes health follow the database, checked with a bounded {@code SELECT 1} every
     * {@code interval} on a daemon thread of this server's, which {@link #stop} ends first.
     */
    public HeapServer checkDatabaseEvery(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the database check interval must be positive, got " + interval);
        }
        if (databaseChecks != null) {
            throw new IllegalStateException("the database is checked already");
        }
        databaseChecks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vheap-db-check");
            t.setDaemon(true);
            return t;
        });
        databaseHealth = new DatabaseHealth(DatabaseHealth.select1(store.dataSource(), DatabaseHealth.PROBE_TIMEOUT),
                this::setStoreServing, databaseChecks, interval);
        return this;
    }

    /** A call that met an unavailable database asks for a database check at once (when the database is checked). */
    private ServerInterceptor storeUnavailableWatcher() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        DatabaseHealth checks = databaseHealth;
                        if (checks != null && StoreStatusCodes.isStoreUnavailable(status, trailers)) {
                            checks.suspect();
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
    }

    public HeapServer start() throws IOException {
        // before the first call can come: a call that meets the database down may turn the store NOT_SERVING
        // at once, which a later SERVING would overwrite
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(HeapStoreGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(DeviceControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        server.start();
        inProcess.start();
        if (databaseHealth != null) {
            databaseHealth.start();
        }
        return this;
    }

    /** The overall service and the store: SERVING while the database answers, NOT_SERVING while it does not. */
    private void setStoreServing(boolean serving) {
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", status);   // ignored once stopping (terminal)
        health.setStatus(HeapStoreGrpc.SERVICE_NAME, status);
    }

    /** The devices attached to it now, with their last reports. */
    public List<DeviceInfo> devices() {
        return devices.infos();
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops taking calls, lets calls in flight finish for up to {@code grace}, then cancels the rest.
     * Health turns NOT_SERVING first, so load balancers stop sending (and stays so: the database checks end
     * here too, before the caller closes the pool). Devices' control streams end at once (UNAVAILABLE), failing
     * the commands pending on them.
     */
    public void stop(Duration grace) throws InterruptedException {
        health.enterTerminalState();   // later statuses (a database check finishing) are ignored
        server.shutdown();
        inProcess.shutdown();
        devices.close();
        if (databaseChecks != null) {
            databaseHealth.stop();
            databaseChecks.shutdownNow();
        }
        long deadline = System.nanoTime() + grace.toNanos();   // one grace for both: they drain at the same time
        if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (!inProcess.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            inProcess.shutdownNow();
        }
        if (databaseChecks != null && !databaseChecks.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("a database health check did not end in 10 s");
        }
        flushes.shutdown();
        if (!flushes.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            flushes.shutdownNow();
        }
    }

    public void blockUntilShutdown() throws InterruptedException {
        server.awaitTermination();
    }
}
