package org.vheap.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of uploaded system blobs the gateway holds to warm its cache ({@link SystemBlobsWarming}): from the
 * upload's arrival until the backend's answer and the warming done. Bounded for the whole gateway: an upload
 * that would go over it is forwarded as always but not kept, so it warms nothing. Thread-safe.
 */
final class WarmingBudget {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    WarmingBudget(long max) {
        this.max = max;
    }

    /** Counts {@code bytes} in; false (nothing counted) if that would go over the bound. */
    boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
