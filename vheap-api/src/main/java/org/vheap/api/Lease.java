package org.vheap.api;

import java.time.Duration;

/**
 * A lease on one of the device's resources (the seed's leases): {@link Kind#EXCLUSIVE} (no other app of the
 * device may hold the resource) or {@link Kind#SHARED}, for a time the device renews while the app runs.
 * The lease is part of the app's heap, so it moves with the app: on a device that has the resource too it is
 * taken again there; on one that lacks it, it is lost — {@link #valid()} turns false, {@link #read()} throws
 * {@link LeaseLostException}, and {@link LeaseListener}s hear of it — and the app can look for an alternative
 * ({@link Leases#resources()}).
 */
public final class Lease implements AutoCloseable {
    /** Whether other apps of the device may hold the resource at the same time. */
    public enum Kind { EXCLUSIVE, SHARED }

    private final long id;
    private final String resource;
    private final Kind kind;
    private final Duration duration;
    private boolean released;

    Lease(long id, String resource, Kind kind, Duration duration) {
        this.id = id;
        this.resource = resource;
        this.kind = kind;
        this.duration = duration;
    }

    public String resource() {
        return resource;
    }

    public Kind kind() {
        return kind;
    }

    /** How long the device grants the lease at a time (it renews it while the app runs). */
    public Duration duration() {
        return duration;
    }

    /** The device's id of the lease (stable across moves of the app). */
    public long id() {
        return id;
    }

    /** Whether the lease still holds on this device: not released, and the device has the resource. */
    public boolean valid() {
        return !released && Leases.granted(id);
    }

    /**
     * Reads the resource (a sensor's value; for other resources, what the device says of them).
     *
     * @throws LeaseLostException when the lease no longer holds (released, or the device lacks the resource)
     */
    public String read() {
        if (!valid()) {
            throw new LeaseLostException("the lease on " + resource + " no longer holds on this device");
        }
        return Leases.read(id);
    }

    /** Releases the lease; idempotent. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            Leases.release(id);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + resource + ", " + kind + (released ? ", released" : "") + "]";
    }
}
