package org.vheap.device.store;

import java.time.Duration;
import java.time.Instant;
import org.vheap.store.StoreException;

/**
 * The heap lease's rules as every store on the device applies them, in the heap server's words: how long a lease
 * asked for lasts, who may take it, and which fencing token may still write.
 */
public final class StoreLeases {
    /** The longest lease a store on the device grants. */
    public static final Duration MAX_LEASE = Duration.ofMinutes(10);

    private StoreLeases() {
    }

    /** The lease {@code requested} lasts: the store's default for zero; refused when negative or over the maximum. */
    public static Duration length(Duration requested, Duration defaultLease) {
        if (requested.isNegative()) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "lease length must be positive, got "
                    + requested);
        }
        if (requested.isZero()) {
            return defaultLease;
        }
        if (requested.compareTo(MAX_LEASE) > 0) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT,
                    "lease length " + requested + " is over the store's maximum of " + MAX_LEASE);
        }
        return requested;
    }

    /** Checks a store's default lease: in (0, {@link #MAX_LEASE}]. */
    public static void checkDefault(Duration defaultLease) {
        if (defaultLease == null || defaultLease.isNegative() || defaultLease.isZero()
                || defaultLease.compareTo(MAX_LEASE) > 0) {
            throw new IllegalArgumentException("default lease must be in (0, " + MAX_LEASE + "], got " + defaultLease);
        }
    }

    /** Throws LEASE_HELD when {@code holder}'s lease, unexpired at {@code now}, keeps {@code device} out. */
    public static void checkFree(String app, String holder, Instant expiresAt, String device, Instant now) {
        if (holder != null && !holder.equals(device) && expiresAt.isAfter(now)) {
            throw new StoreException(StoreException.Reason.LEASE_HELD, "app '" + app + "' is leased to device '"
                    + holder + "' until " + expiresAt + "; wait for it to expire or for that device to close it");
        }
    }

    /** Throws FENCED unless {@code token} is the current lease's, {@code current} held by {@code holder}. */
    public static void requireToken(String app, String holder, long current, long token) {
        if (holder == null) {
            throw new StoreException(StoreException.Reason.FENCED, "fencing token " + token
                    + " is stale: no device holds the lease on app '" + app + "' (open the heap again)");
        }
        if (token != current) {
            throw new StoreException(StoreException.Reason.FENCED, "fencing token " + token + " is stale: app '"
                    + app + "' is now leased to device '" + holder + "' under a newer lease; nothing was changed");
        }
    }
}
