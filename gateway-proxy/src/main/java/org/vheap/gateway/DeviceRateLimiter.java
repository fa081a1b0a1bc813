package org.vheap.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Calls per second per device, as token buckets: each device may start {@code rate} calls a second, with a
 * burst of one second's worth (at least one call). A device is named by its {@code vheap-device} header,
 * else by its peer's IP address (so devices behind one NAT share a bucket without the header). Buckets
 * idle for a while are full, and are dropped when more than {@value #MAX_DEVICES} devices are tracked, so
 * memory stays bounded. The clock is passed in. Thread-safe.
 */
final class DeviceRateLimiter {
    static final int MAX_DEVICES = 100_000;

    private final double rate;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param rate calls per second; 0: no limit */
    DeviceRateLimiter(double rate, LongSupplier nanoTime) {
        this.rate = rate;
        this.burst = Math.max(1, rate);
        this.nanoTime = nanoTime;
    }

    boolean enabled() {
        return rate > 0;
    }

    double rate() {
        return rate;
    }

    /** Takes one call from {@code device}'s bucket; false when it is empty. */
    boolean tryAcquire(String device) {
        if (rate <= 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_DEVICES) {
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        return buckets.computeIfAbsent(device, d -> new Bucket(now)).take(now);
    }

    private final class Bucket {
        private double tokens;     // guarded by this
        private long refilledAt;   // guarded by this

        Bucket(long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }

        synchronized boolean take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
                refilledAt = now;
            }
        }
    }
}
