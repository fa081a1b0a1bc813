package org.vheap.server.store;

/**
 * A heap-store operation was refused or failed. The {@link Reason} says which, so the transport layer can
 * map it to its own status codes; the message is meant for the user and names what to fix. When a store
 * operation throws, the database transaction it ran in was rolled back: nothing it was asked to do happened.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Reason {
        /** The app or checkpoint does not exist. */
        NOT_FOUND,
        /** The request itself is malformed (bad line id, wrong line length, empty app name, ...). */
        INVALID_ARGUMENT,
        /** The fencing token is not the current one, or no lease is held: nothing was changed. */
        STALE_TOKEN,
        /** Another device holds an unexpired lease. */
        LEASE_HELD,
        /** The request is valid but conflicts with the heap's state (e.g. line size of an existing heap). */
        CONFLICT,
        /** The database cannot be reached. */
        UNAVAILABLE,
        /** A concurrent transaction won a race; retrying may succeed. */
        ABORTED,
        /** The request (or its answer) is over a per-call limit; the message names it. Split the call. */
        LIMIT_EXCEEDED
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static StoreException invalid(String message) {
        return new StoreException(Reason.INVALID_ARGUMENT, message);
    }

    static StoreException notFound(String message) {
        return new StoreException(Reason.NOT_FOUND, message);
    }
}
