package org.vheap.server.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Blocks a streaming sender until the transport can take more (gRPC flow control). Fails if the call
 * is cancelled, or if the client reads nothing for {@link #STALLED_MILLIS}: a stalled reader must not
 * hold a database connection and snapshot for ever.
 */
final class FlowGate {
    static final long STALLED_MILLIS = 30_000;
    private final ServerCallStreamObserver<?> call;
    private final Object lock = new Object();

    FlowGate(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(this::wake);
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    void awaitReady() {
        long deadline = System.nanoTime() + STALLED_MILLIS * 1_000_000;
        synchronized (lock) {
            while (!call.isReady()) {
                if (call.isCancelled()) {
                    throw Status.CANCELLED.withDescription("the client cancelled the read").asRuntimeException();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw Status.DEADLINE_EXCEEDED.withDescription("the client read nothing for "
                            + STALLED_MILLIS / 1000 + " s; the stream is closed").asRuntimeException();
                }
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
                }
            }
        }
    }
}
