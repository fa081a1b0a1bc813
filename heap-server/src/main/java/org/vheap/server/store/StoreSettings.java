package org.vheap.server.store;

import java.time.Duration;

/**
 * The heap store's policy knobs.
 *
 * @param retain       how many newest checkpoints each app keeps (older ones are pruned at commit)
 * @param defaultLease lease length when a request asks for none
 * @param maxLease     the longest lease a request may ask for
 */
public record StoreSettings(int retain, Duration defaultLease, Duration maxLease) {
    public StoreSettings {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, got " + retain);
        }
        if (defaultLease.isNegative() || defaultLease.isZero() || maxLease.compareTo(defaultLease) < 0) {
            throw new IllegalArgumentException("need 0 < defaultLease <= maxLease, got " + defaultLease + ", " + maxLease);
        }
    }

    public static StoreSettings defaults() {
        return new StoreSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public StoreSettings withRetain(int n) {
        return new StoreSettings(n, defaultLease, maxLease);
    }
}
