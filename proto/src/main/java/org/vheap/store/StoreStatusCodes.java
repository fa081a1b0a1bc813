package org.vheap.store;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How a {@link StoreException} crosses the wire, both ways: the server answers it as the gRPC status of its
 * reason with the store's message and a {@code vheap-reason} trailer naming the reason; a client rebuilds the
 * same reason from the trailer, or, for a status without one (a gateway's or gRPC's own), from the code.
 *
 * <pre>
 * reason            status                 status (no trailer)                       reason
 * NOT_FOUND         NOT_FOUND              UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED  UNAVAILABLE
 * INVALID_ARGUMENT  INVALID_ARGUMENT       FAILED_PRECONDITION                        FENCED
 * FENCED, CONFLICT  FAILED_PRECONDITION    ABORTED                                    LEASE_HELD
 * LEASE_HELD        ABORTED                NOT_FOUND                                  NOT_FOUND
 * ABORTED           ABORTED                INVALID_ARGUMENT, OUT_OF_RANGE             INVALID_ARGUMENT
 * LIMIT_EXCEEDED    RESOURCE_EXHAUSTED     RESOURCE_EXHAUSTED                         LIMIT_EXCEEDED
 * QUOTA_EXCEEDED    RESOURCE_EXHAUSTED
 * THROTTLED         RESOURCE_EXHAUSTED
 * DENIED            PERMISSION_DENIED      UNAUTHENTICATED, PERMISSION_DENIED         DENIED
 * UNAVAILABLE       UNAVAILABLE            anything else (INTERNAL, UNIMPLEMENTED...)  INTERNAL
 * INTERNAL          INTERNAL
 * FLUSHES_LOST      DATA_LOSS
 * </pre>
 */
public final class StoreStatusCodes {
    /** The trailer naming the store's reason ({@link StoreException.Reason#name()}). */
    public static final Metadata.Key<String> REASON = Metadata.Key.of("vheap-reason", Metadata.ASCII_STRING_MARSHALLER);

    private StoreStatusCodes() {
    }

    /** The gRPC status a store failure is answered with: its reason's code, its message, the reason trailer. */
    public static StatusRuntimeException toStatus(StoreException e) {
        Metadata trailers = new Metadata();
        trailers.put(REASON, e.reason().name());
        return codeOf(e.reason()).withDescription(e.getMessage()).withCause(e).asRuntimeException(trailers);
    }

    static Status codeOf(StoreException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case FENCED, CONFLICT -> Status.FAILED_PRECONDITION;
            case LEASE_HELD, ABORTED -> Status.ABORTED;
            case LIMIT_EXCEEDED, QUOTA_EXCEEDED, THROTTLED -> Status.RESOURCE_EXHAUSTED;
            case DENIED -> Status.PERMISSION_DENIED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case FLUSHES_LOST -> Status.DATA_LOSS;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    /**
     * The store failure a call's status stands for, with a message that names {@code what} was asked and keeps
     * the server's description.
     */
    public static StoreException fromStatus(String what, StatusRuntimeException e) {
        Status s = e.getStatus();
        String description = s.getDescription() == null ? "(no message)" : s.getDescription();
        return new StoreException(reasonOf(s, e.getTrailers()), what + " failed: " + s.getCode() + ": " + description, e);
    }

    /** The reason a status stands for: its trailer's when it names one, else the code's. */
    public static StoreException.Reason reasonOf(Status status, Metadata trailers) {
        String named = trailers == null ? null : trailers.get(REASON);
        if (named != null) {
            for (StoreException.Reason r : StoreException.Reason.values()) {
                if (r.name().equals(named) && codeOf(r).getCode() == status.getCode()) {
                    return r;
                }
            }
        }
        return switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> StoreException.Reason.UNAVAILABLE;
            case FAILED_PRECONDITION -> StoreException.Reason.FENCED;
            case ABORTED -> StoreException.Reason.LEASE_HELD;
            case NOT_FOUND -> StoreException.Reason.NOT_FOUND;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> StoreException.Reason.INVALID_ARGUMENT;
            case RESOURCE_EXHAUSTED -> StoreException.Reason.LIMIT_EXCEEDED;
            case UNAUTHENTICATED, PERMISSION_DENIED -> StoreException.Reason.DENIED;
            default -> StoreException.Reason.INTERNAL;
        };
    }

    /** Whether a call closing with this status failed because the store found its database unavailable. */
    public static boolean isStoreUnavailable(Status status, Metadata trailers) {
        return status.getCode() == Status.Code.UNAVAILABLE && trailers != null
                && StoreException.Reason.UNAVAILABLE.name().equals(trailers.get(REASON));
    }
}
