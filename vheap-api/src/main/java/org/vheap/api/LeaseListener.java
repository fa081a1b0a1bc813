package org.vheap.api;

/** Hears that a lease was lost because the app now runs on a device without its resource. */
@FunctionalInterface
public interface LeaseListener {
    void lost(Lease lease);
}
