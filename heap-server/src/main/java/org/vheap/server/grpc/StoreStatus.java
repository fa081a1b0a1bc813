package org.vheap.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.server.store.StoreException;

/**
 * Maps store failures to gRPC statuses whose descriptions say what to fix; never swallows a cause. Used by
 * every service of the server, so a store failure reads the same whichever call met it.
 */
public final class StoreStatus {
    private static final Logger log = LoggerFactory.getLogger(StoreStatus.class);

    /** Trailer naming the store's reason (e.g. {@code STALE_TOKEN}, {@code LEASE_HELD}) for clients. */
    static final Metadata.Key<String> REASON = Metadata.Key.of("vheap-reason", Metadata.ASCII_STRING_MARSHALLER);

    private StoreStatus() {
    }

    /** Whether a call closing with this status failed because the store found its database unavailable. */
    public static boolean isStoreUnavailable(Status status, Metadata trailers) {
        return status.getCode() == Status.Code.UNAVAILABLE && trailers != null
                && StoreException.Reason.UNAVAILABLE.name().equals(trailers.get(REASON));
    }

    /**
     * A status exception as is; a {@link StoreException} as the status of its reason, with the store's
     * message and a {@link #REASON} trailer; anything else as INTERNAL (logged).
     */
    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StoreException se) {
            Status code = switch (se.reason()) {
                case NOT_FOUND -> Status.NOT_FOUND;
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case STALE_TOKEN, CONFLICT -> Status.FAILED_PRECONDITION;
                case LEASE_HELD, ABORTED -> Status.ABORTED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case LIMIT_EXCEEDED -> Status.RESOURCE_EXHAUSTED;
            };
            Metadata trailers = new Metadata();
            trailers.put(REASON, se.reason().name());
            return code.withDescription(se.getMessage()).withCause(se).asRuntimeException(trailers);
        }
        log.error("internal error in a heap-store call", t);
        return Status.INTERNAL.withDescription("internal error: " + t.getMessage() + " (details in the server log)")
                .withCause(t).asRuntimeException();
    }
}
