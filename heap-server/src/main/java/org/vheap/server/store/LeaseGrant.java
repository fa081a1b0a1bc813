package org.vheap.server.store;

import java.time.Instant;

/** The exclusive writer lease on a heap, as granted: holder device, fencing token, expiry. */
public record LeaseGrant(String holder, long fencingToken, Instant expiresAt) {
}
