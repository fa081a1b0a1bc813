package org.vheap.gateway;

import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bytes received from each client connection (named by its peer address) and not yet taken by a backend's
 * transport, bounded per connection. {@link #reserve} counts a message in as it arrives, refusing it when the
 * connection would go over the bound; {@link #release} counts it out when the backend call can take more
 * (or the call ended). A connection's entry exists only while it has bytes in flight. Thread-safe.
 */
final class InflightBudget {
    private final long max;
    private final ConcurrentHashMap<SocketAddress, Long> inflight = new ConcurrentHashMap<>();

    InflightBudget(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    /** Counts {@code bytes} in for {@code connection}; false (and nothing counted) if that goes over the bound. */
    boolean reserve(SocketAddress connection, long bytes) {
        if (connection == null || bytes == 0) {
            return true;
        }
        boolean[] ok = {false};
        inflight.compute(connection, (c, held) -> {
            long now = held == null ? 0 : held;
            if (now + bytes > max) {
                return held;
            }
            ok[0] = true;
            return now + bytes;
        });
        return ok[0];
    }

    void release(SocketAddress connection, long bytes) {
        if (connection == null || bytes == 0) {
            return;
        }
        inflight.computeIfPresent(connection, (c, held) -> held - bytes <= 0 ? null : held - bytes);
    }

    /** Bytes in flight from {@code connection} now (tests, metrics). */
    long inflight(SocketAddress connection) {
        return inflight.getOrDefault(connection, 0L);
    }
}
