package org.vheap.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The gateway's backends: the channels to each configured heap server, created when the pool is and shut
 * down by {@link #shutdown}. {@link #route(String)} asks the {@link BackendRouter} which of the backends
 * that are up takes a call; with none up the call gets UNAVAILABLE naming each backend and why it is down.
 * Whether a backend is up is the {@link BackendHealthChecks}' (and failed calls') business. Thread-safe:
 * the list never changes after construction.
 */
public final class BackendPool implements AutoCloseable {
    private final List<Backend> backends;
    private final BackendRouter router;

    /**
     * @param addresses the heap servers; at least one
     * @param channels  makes the channels to one backend, one per lane (the pool owns and shuts down what
     *                  it returns)
     * @param lane      the calling thread's lane (see {@link GatewayLoops#lane()})
     * @param onChange  told when a backend goes down or comes back up (on the thread that noticed)
     */
    public BackendPool(List<BackendAddress> addresses, Function<BackendAddress, List<ManagedChannel>> channels,
                       IntSupplier lane, BackendRouter router, Consumer<Backend> onChange) {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("the gateway needs at least one --backend HOST:PORT");
        }
        this.router = router;
        List<Backend> made = new ArrayList<>();
        try {
            for (BackendAddress a : addresses) {
                made.add(new Backend(a, channels.apply(a), lane, onChange));
            }
        } catch (RuntimeException e) {
            made.forEach(Backend::shutdownNow);
            throw e;
        }
        this.backends = List.copyOf(made);
    }

    /** Starts connecting every backend, so the first calls already find a connection. */
    public BackendPool connect() {
        backends.forEach(Backend::state);
        return this;
    }

    /**
     * The backend for a call routed by {@code key}.
     *
     * @throws StatusRuntimeException UNAVAILABLE when no backend is up, naming them
     */
    public Backend route(String key) {
        List<Backend> up = new ArrayList<>(backends.size());
        for (Backend b : backends) {
            if (b.isUp()) {
                up.add(b);
            }
        }
        if (up.isEmpty()) {
            throw Status.UNAVAILABLE.withDescription("no backend is up: " + backends.stream()
                    .map(b -> b.address() + " (" + b.downReason() + ")").collect(Collectors.joining(", ")))
                    .asRuntimeException();
        }
        return router.choose(key, up);
    }

    /** Whether at least one backend is up. */
    public boolean anyUp() {
        return backends.stream().anyMatch(Backend::isUp);
    }

    public List<Backend> backends() {
        return backends;
    }

    /**
     * Shuts down every channel: calls still running get up to {@code grace} in total, then are cancelled.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        List<ManagedChannel> all = backends.stream().flatMap(b -> b.lanes().stream()).toList();
        all.forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ManagedChannel c : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                c.shutdownNow();
            }
        }
        for (ManagedChannel c : all) {
            c.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Shuts down at once, cancelling calls in flight. */
    @Override
    public void close() {
        backends.forEach(Backend::shutdownNow);
    }
}
