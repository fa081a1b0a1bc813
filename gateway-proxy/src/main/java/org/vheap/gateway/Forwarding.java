package org.vheap.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every forwarded call shares: the backends, the deadline policy, the limits, the system-blob cache
 * (null when off), the meters, the clock, and the executor of work too long for an event loop (checking
 * fetched system blobs' hashes), and the bound on uploads kept to warm the cache. Immutable; its parts are
 * thread-safe.
 */
record Forwarding(BackendPool pool, BackendDeadlines deadlines, DeviceRateLimiter rate, InflightBudget inflight,
                  SystemBlobCache cache, SystemCacheAccess cacheAccess, GatewayMetrics metrics, LongSupplier nanoTime,
                  Executor blobWork, WarmingBudget warming) {
    /** Bytes of uploads kept for warming the cache, at most (for the whole gateway). */
    static final long WARMING_BYTES = 64L << 20;

    /** The parts a configuration asks for, over {@code pool}, metered in {@code registry}. */
    static Forwarding of(GatewayConfig config, BackendPool pool, MeterRegistry registry, LongSupplier nanoTime,
                         Executor blobWork) {
        SystemBlobCache cache = config.systemCacheBytes() > 0 ? new SystemBlobCache(config.systemCacheBytes()) : null;
        return new Forwarding(pool, new BackendDeadlines(config.backendTimeout()),
                new DeviceRateLimiter(config.deviceRate(), nanoTime), new InflightBudget(config.maxInflightBytes()),
                cache, new SystemCacheAccess(nanoTime), new GatewayMetrics(registry, pool.backends(), cache), nanoTime,
                blobWork, new WarmingBudget(WARMING_BYTES));
    }
}
