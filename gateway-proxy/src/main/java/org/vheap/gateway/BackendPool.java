package org.vheap.gateway;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's backends: one channel per configured heap server, created when the pool is and shut
 * down by {@link #shutdown}. {@link #route()} asks the {@link BackendRouter} which backend takes the next
 * call. Thread-safe: the list never changes after construction.
 */
public final class BackendPool implements AutoCloseable {
    private final List<Backend> backends;
    private final BackendRouter router;

    /**
     * @param addresses the heap servers, in routing order; at least one
     * @param channels  makes the channel to one backend (the pool owns and shuts down what it returns)
     */
    public BackendPool(List<BackendAddress> addresses, Function<BackendAddress, ManagedChannel> channels,
                       BackendRouter router) {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("the gateway needs at least one --backend HOST:PORT");
        }
        this.router = router;
        List<Backend> made = new ArrayList<>();
        try {
            for (BackendAddress a : addresses) {
                made.add(new Backend(a, channels.apply(a)));
            }
        } catch (RuntimeException e) {
            made.forEach(b -> b.channel().shutdownNow());
            throw e;
        }
        this.backends = List.copyOf(made);
    }

    /** Starts connecting every backend, so the first calls already see which ones are down. */
    public BackendPool connect() {
        backends.forEach(Backend::state);
        return this;
    }

    /** The backend for the next call. */
    public Backend route() {
        return router.choose(backends);
    }

    public List<Backend> backends() {
        return backends;
    }

    /**
     * Shuts down every channel: calls still running get up to {@code grace} in total, then are cancelled.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        backends.forEach(b -> b.channel().shutdown());
        long deadline = System.nanoTime() + grace.toNanos();
        for (Backend b : backends) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!b.channel().awaitTermination(left, TimeUnit.NANOSECONDS)) {
                b.channel().shutdownNow();
            }
        }
        for (Backend b : backends) {
            b.channel().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Shuts down at once, cancelling calls in flight. */
    @Override
    public void close() {
        backends.forEach(b -> b.channel().shutdownNow());
    }
}
