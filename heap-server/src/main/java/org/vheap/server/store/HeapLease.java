package org.vheap.server.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The heap lease: the exclusive writer lease on one app's heap, as granted — holder device, fencing token,
 * expiry, and the length the open or renewal granted ({@link Duration#ZERO} in a listing, which grants none). (Not to be confused with the resource leases an app holds on its device's sensors and other
 * resources, which live inside the heap and which the store never sees.)
 */
public record HeapLease(String holder, long fencingToken, Instant expiresAt, Duration length) {
}
