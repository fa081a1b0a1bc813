package org.vheap.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.server.auth.AccessPolicy;
import org.vheap.server.control.DeviceControlService;
import org.vheap.server.control.DeviceRegistry;
import org.vheap.server.grpc.HeapStoreService;
import org.vheap.server.store.AppTokens;
import org.vheap.server.store.DeviceTokens;
import org.vheap.server.store.PgHeapStore;

/**
 * The heap server: serves {@code vheap.v1.HeapStore} and {@code vheap.v1.DeviceControl}, gRPC health
 * checking and server reflection over one {@link PgHeapStore}. The {@link ServerBuilder} is passed in, so
 * tests can run it in-process or on a loopback port; the caller owns the store's database and closes it
 * after {@link #stop}. The attached devices live in memory for the server's life; {@link #stop} ends their
 * control streams, so they attach again elsewhere. Access is checked by an {@link AccessPolicy} (by default
 * none is required); TLS is the builder's (e.g. {@code NettyServerBuilder.forAddress(address, credentials)}).
 */
public final class HeapServer {
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService flushes = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "vheap-commit-flush");
        t.setDaemon(true);
        return t;
    });

    private final DeviceRegistry devices;

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
        this.devices = new DeviceRegistry(store.clock());
        this.server = builder
                .intercept(access.interceptor())
                .addService(new HeapStoreService(store, flushes, new AppTokens(store.dataSource()), access))
                .addService(new DeviceControlService(store, devices, commandTimeout, access,
                        new DeviceTokens(store.dataSource())))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    public HeapServer start() throws IOException {
        server.start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(HeapStoreGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(DeviceControlGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops taking calls, lets calls in flight finish for up to {@code grace}, then cancels the rest.
     * Health turns NOT_SERVING first, so load balancers stop sending. Devices' control streams end at once
     * (UNAVAILABLE), failing the commands pending on them.
     */
    public void stop(Duration grace) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        devices.close();
        if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
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
