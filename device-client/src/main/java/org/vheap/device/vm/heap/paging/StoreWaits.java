package org.vheap.device.vm.heap.paging;

import java.time.Duration;

/**
 * What the paging layer tells its device while a store call waits for an unavailable store ({@link StoreRetry}).
 * The call runs on the interpreter thread, so the app is paused from {@link #storeWaiting} until
 * {@link #storeBack}, or until the call gives up. Called on that thread, once each per waiting
 * call: a call that succeeds at once reports nothing.
 */
public interface StoreWaits {
    /**
     * A store call found the store unavailable (or kept losing a database race) and is being retried. Reports
     * nothing unless overridden.
     *
     * @param what     the call, as in messages: "read lines [5]"
     * @param why      the store's message for the failure
     * @param retryFor how long it is retried before it gives up (zero: only a few quick attempts); then the app
     *                 stops, unless the call was part of a checkpoint, which waits on for the store
     */
    default void storeWaiting(String what, String why, Duration retryFor) {
    }

    /**
     * The call that was waiting went through, {@code waitedNanos} after its first failure (or, from a device, a
     * checkpoint after failed ones). Reports nothing unless overridden.
     */
    default void storeBack(String what, long waitedNanos) {
    }

    /** Reports nothing. */
    static StoreWaits none() {
        return new StoreWaits() {
        };
    }
}
