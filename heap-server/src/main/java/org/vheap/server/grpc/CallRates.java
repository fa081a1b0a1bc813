package org.vheap.server.grpc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.vheap.store.StoreException;

/**
 * The apps' quotas of calls per second on this server: a token bucket per app that holds up to a second's worth of
 * calls and refills at the quota's rate. A call that finds its app's bucket empty is refused THROTTLED (retryable),
 * naming the quota and how long until the next call would be taken. Only apps with such a quota get a bucket.
 *
 * <p>Per server: behind a gateway, which sends an app's calls to one server, that is the app's rate; an app whose
 * calls were spread over {@code n} servers could make {@code n} times as many.
 */
final class CallRates {
    /** Past this many buckets, the full ones (no call for a second: the same as none) are dropped. */
    static final int MAX_BUCKETS = 10_000;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    CallRates(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Takes one call of the app from its bucket, refilled at {@code perSecond}; THROTTLED when there is none. */
    void admit(String app, int perSecond) {
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(app)) {
            long now = nanoTime.getAsLong();
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        Bucket bucket = buckets.computeIfAbsent(app, a -> new Bucket(nanoTime.getAsLong()));
        long waitNanos = bucket.take(nanoTime.getAsLong(), perSecond);
        if (waitNanos > 0) {
            throw new StoreException(StoreException.Reason.THROTTLED, "app '" + app + "' is over its quota of "
                    + perSecond + " calls per second; retry in " + Math.max(1, waitNanos / 1_000_000) + " ms");
        }
    }

    /** Tokens in nanoseconds of credit: a call costs a second divided by the rate; the credit holds at most a second. */
    private static final class Bucket {
        private long credit;
        private long lastNanos;

        Bucket(long now) {
            this.lastNanos = now;
            this.credit = SECOND_NANOS;
        }

        /** Whether it holds a second's worth at {@code now}: as a new bucket would. */
        synchronized boolean fullAt(long now) {
            return credit + Math.max(0, now - lastNanos) >= SECOND_NANOS;
        }

        /** Takes a call's cost; returns 0, or how long until there is enough credit for it (nothing taken). */
        synchronized long take(long now, int perSecond) {
            credit = Math.min(SECOND_NANOS, credit + Math.max(0, now - lastNanos));
            lastNanos = now;
            long cost = SECOND_NANOS / perSecond;
            if (credit < cost) {
                return cost - credit;
            }
            credit -= cost;
            return 0;
        }
    }
}
