package org.vheap.device.store;

import java.time.Duration;
import java.util.Objects;
import org.vheap.store.StoreException;

/**
 * Opens an app's heap for a device: the one place the device's session stack is built. It takes the heap
 * lease through {@link HeapStore#openHeap} — waiting, when asked, while another device still holds it — and
 * puts the device's session layer, a {@link DeviceSession}, over the store's session. A device reaches the
 * store only through what this returns; nothing else wraps a session.
 */
public final class DeviceSessions {
    /** How often a held lease is asked for again while waiting. */
    static final Duration LEASE_POLL = Duration.ofMillis(100);
    /** The first pause after a retryable failure of the open; doubled each time up to {@link #MAX_RETRY_PAUSE}. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(2);

    private DeviceSessions() {
    }

    /**
     * Opens the heap {@code request} names and returns the device's session over it.
     *
     * @param store        the heap store
     * @param request      the app, the device, create or not, the lease, the base checkpoint
     * @param waitForLease how long to keep asking (every 100 ms) while another device holds the heap lease (it was
     *                     killed and its lease has not run out yet, or it is being suspended); zero: ask once
     * @param copies       the device process's line copies for the versioned delta, or null for none
     * @param clock        what the wait reads and sleeps on
     * @throws StoreException {@code LEASE_HELD} when the lease is still held after the wait; whatever
     *         {@link HeapStore#openHeap} throws otherwise
     * @throws InterruptedException when interrupted while waiting for the lease (nothing was opened: the store did
     *         not fail, the caller stopped waiting)
     */
    public static DeviceSession open(HeapStore store, OpenRequest request, Duration waitForLease, LineCache copies,
                                     DeviceClock clock) throws InterruptedException {
        return open(store, request, waitForLease, Duration.ZERO, copies, clock);
    }

    /**
     * As {@link #open(HeapStore, OpenRequest, Duration, LineCache, DeviceClock)}, asking again for up to {@code retryFor}
     * after the first retryable failure ({@code UNAVAILABLE}: a heap server restarting, a gateway with no backend up yet;
     * {@code ABORTED}), pausing 100 ms, then twice that each time up to 2 s, as the paging layer retries its calls. An
     * open whose answer was lost is asked again as the same device, which takes the lease anew; with access tokens
     * required, one that created the app cannot be: its answer held the app's token, and the retry is refused.
     */
    public static DeviceSession open(HeapStore store, OpenRequest request, Duration waitForLease, Duration retryFor,
                                     LineCache copies, DeviceClock clock) throws InterruptedException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(request, "request");
        if (waitForLease == null || waitForLease.isNegative()) {
            throw new IllegalArgumentException("the lease wait must be zero or positive, got " + waitForLease);
        }
        if (retryFor == null || retryFor.isNegative()) {
            throw new IllegalArgumentException("the store retry time must be zero or positive, got " + retryFor);
        }
        return new DeviceSession(openWaiting(store, request, waitForLease, retryFor, clock), copies);
    }

    /**
     * {@link HeapStore#openHeap}, asked again every {@link #LEASE_POLL} while the lease is held, until the wait is over,
     * and with backoff after retryable failures, until the retry time is over.
     */
    private static HeapSession openWaiting(HeapStore store, OpenRequest request, Duration waitForLease, Duration retryFor,
                                           DeviceClock clock) throws InterruptedException {
        long deadline = clock.nanoTime() + waitForLease.toNanos();
        boolean failed = false;
        long firstFailure = 0;
        long backoff = RETRY_PAUSE.toNanos();
        while (true) {
            try {
                return store.openHeap(request);
            } catch (StoreException e) {
                if (e.reason().retryable()) {
                    long now = clock.nanoTime();
                    if (!failed) {
                        failed = true;
                        firstFailure = now;
                    }
                    if (now - firstFailure >= retryFor.toNanos()) {
                        throw e;
                    }
                    clock.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_RETRY_PAUSE.toNanos());
                    continue;
                }
                if (e.reason() != StoreException.Reason.LEASE_HELD || clock.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            clock.sleep(LEASE_POLL.toNanos());
        }
    }
}
