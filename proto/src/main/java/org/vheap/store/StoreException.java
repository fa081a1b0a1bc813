package org.vheap.store;

/**
 * A heap-store call that failed and changed nothing — on every side of the store contract: thrown by the heap
 * server's PostgreSQL store, carried to clients as a gRPC status with a {@code vheap-reason} trailer
 * ({@link StoreStatusCodes}), rebuilt from it by the device's gRPC store, and thrown by the device's in-memory
 * store. {@link #reason()} is the same word everywhere, so a device reads the server's reason unchanged.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a store call failed; {@link #retryable()} says whether repeating it may succeed. */
    public enum Reason {
        /** The app, checkpoint or blob does not exist. */
        NOT_FOUND,
        /** The request itself is malformed (bad line id, wrong line length, empty app name, ...). */
        INVALID_ARGUMENT,
        /**
         * The caller's heap lease was taken over or has ended (its fencing token is not the current one): the
         * device must stop writing this heap. Nothing was changed.
         */
        FENCED,
        /** Another device holds an unexpired heap lease. */
        LEASE_HELD,
        /** The request is valid but conflicts with the heap's state (e.g. the line size of an existing heap). */
        CONFLICT,
        /** The request (or its answer) is over a per-call limit; the message names it. Split the call. */
        LIMIT_EXCEEDED,
        /**
         * The call would take the app over one of its quotas of lines or bytes (the message names it): it was rolled
         * back (a commit stream's lines written ahead of it stay uncommitted in the open epoch, as when any commit
         * fails). Not retried: the app must hold less, or an operator raise its quota.
         */
        QUOTA_EXCEEDED,
        /** The app is over its quota of calls per second: nothing was done; retry after a pause. */
        THROTTLED,
        /** The caller's access token is missing or does not admit this call. */
        DENIED,
        /** The store (or its database) could not be reached or did not answer in time. */
        UNAVAILABLE,
        /** A concurrent transaction won a race. */
        ABORTED,
        /**
         * The store holds fewer flushes of the caller's lease than the caller was told succeeded: its database
         * crashed after acknowledging flushes it had not yet written to disk. The lease's open epoch is not what
         * the caller wrote, so it must not go on: resume the app from its last checkpoint. Nothing was changed.
         */
        FLUSHES_LOST,
        /** The store failed in a way the caller cannot fix (a bug, an unimplemented call); see the message. */
        INTERNAL;

        /** Whether repeating the call unchanged may succeed: the store was away, lost a race, or throttled the app. */
        public boolean retryable() {
            return this == UNAVAILABLE || this == ABORTED || this == THROTTLED;
        }
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** {@link Reason#INVALID_ARGUMENT} with this message. */
    public static StoreException invalid(String message) {
        return new StoreException(Reason.INVALID_ARGUMENT, message);
    }

    /** {@link Reason#NOT_FOUND} with this message. */
    public static StoreException notFound(String message) {
        return new StoreException(Reason.NOT_FOUND, message);
    }
}
