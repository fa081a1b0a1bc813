package org.vheap.gateway;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;

/**
 * The gateway's own gRPC health: SERVING (for "", HeapStore and DeviceControl) only while at least one
 * backend is up, NOT_SERVING otherwise. Told of every backend that goes down or comes up, which it logs.
 * After {@link #stop()} (the gateway is stopping) it stays NOT_SERVING.
 */
final class GatewayHealth {
    private static final Logger log = LoggerFactory.getLogger(GatewayHealth.class);

    private final HealthStatusManager health = new HealthStatusManager();
    private BackendPool pool;          // guarded by this
    private boolean started;           // guarded by this
    private boolean stopped;           // guarded by this

    HealthStatusManager manager() {
        return health;
    }

    /** Serves from now on, with the status {@code pool} calls for. */
    synchronized void start(BackendPool pool) {
        this.pool = pool;
        started = true;
        update();
    }

    /** A backend went down or came back up. */
    void changed(Backend backend) {
        if (backend.isUp()) {
            log.info("backend {} is up", backend.address());
        } else {
            log.warn("backend {} is down: {}", backend.address(), backend.downReason());
        }
        synchronized (this) {
            update();
        }
    }

    synchronized void stop() {
        stopped = true;
        health.enterTerminalState();
    }

    private void update() {
        if (!started || stopped) {
            return;
        }
        ServingStatus s = pool.anyUp() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus("", s);
        health.setStatus(HeapStoreGrpc.SERVICE_NAME, s);
        health.setStatus(DeviceControlGrpc.SERVICE_NAME, s);
    }
}
