package org.vheap.device.store;

/**
 * A store call that failed and changed nothing. {@link #reason()} says what a device should do: retry
 * ({@code UNAVAILABLE}), give up the app ({@code FENCED}: another device holds the heap now), or report bad
 * input.
 */
public final class StoreException extends RuntimeException {

    /** Why a store call failed. */
    public enum Reason {
        /** The store could not be reached or did not answer in time; the call may be retried. */
        UNAVAILABLE,
        /** This session's lease was taken over or has ended: the device must stop writing this heap. */
        FENCED,
        /** Another device holds an unexpired lease on the heap. */
        LEASE_HELD,
        /** No such app, checkpoint or blob. */
        NOT_FOUND,
        /** The request was malformed or exceeded a limit. */
        INVALID,
    }

    private final Reason reason;

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
