package org.vheap.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leases on the resources of the device the app runs on. Resources are named by the device
 * ({@code console}, {@code sensor:temperature}); host resources are only ever reached through leases.
 */
public final class Leases {
    private static final Map<Long, Lease> HELD = new ConcurrentHashMap<>();
    private static final List<LeaseListener> LISTENERS = new CopyOnWriteArrayList<>();

    private Leases() {
    }

    /** The resources the current device offers; empty when the app does not run on a vheap device. */
    public static List<String> resources() {
        try {
            return List.of(deviceResources());
        } catch (UnsatisfiedLinkError notOnVheap) {
            return List.of();
        }
    }

    /**
     * Takes a lease on {@code resource} for {@code duration} (renewed by the device while the app runs).
     *
     * @throws ResourceUnavailableException when the device lacks the resource, another app holds it
     *         exclusively, or the app does not run on a vheap device
     */
    public static Lease acquire(String resource, Lease.Kind kind, Duration duration) {
        if (resource == null || kind == null || duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a lease needs a resource, a kind and a positive duration");
        }
        long id;
        try {
            id = grant(resource, kind == Lease.Kind.EXCLUSIVE, duration.toMillis());
        } catch (UnsatisfiedLinkError notOnVheap) {
            throw new ResourceUnavailableException("not running on a vheap device: no resource " + resource);
        }
        if (id <= 0) {
            throw new ResourceUnavailableException(refusal());
        }
        Lease lease = new Lease(id, resource, kind, duration);
        HELD.put(id, lease);
        return lease;
    }

    /** Hears of leases lost when the app moves to a device without their resource. */
    public static void addListener(LeaseListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        LISTENERS.add(listener);
        Checkpoint.startEvents();
    }

    /**
     * Called by the event thread for "lost ID RESOURCE". A lease the app did not take itself is one the device took
     * for it: a socket's, on the network (the socket's next use throws); listeners hear of it as of their own.
     */
    static void lost(long id, String resource) {
        Lease lease = HELD.get(id);
        if (lease == null) {
            lease = new Lease(id, resource, Lease.Kind.SHARED, Duration.ZERO);
        }
        for (LeaseListener l : LISTENERS) {
            try {
                l.lost(lease);
            } catch (RuntimeException e) {
                // a failing listener does not stop the others
            }
        }
    }

    static void release(long id) {
        HELD.remove(id);
        release0(id);
    }

    static boolean granted(long id) {
        try {
            return granted0(id);
        } catch (UnsatisfiedLinkError notOnVheap) {
            return false;
        }
    }

    static String read(long id) {
        return read0(id);
    }

    // ---- VM entry points, replaced by the vheap device VM ----

    private static native String[] deviceResources();

    /** A lease id (> 0), or 0 when refused ({@link #refusal} says why). */
    private static native long grant(String resource, boolean exclusive, long millis);

    private static native String refusal();

    private static native void release0(long id);

    private static native boolean granted0(long id);

    private static native String read0(long id);
}
