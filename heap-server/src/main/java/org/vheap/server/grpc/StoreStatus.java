package org.vheap.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.StoreException;
import org.vheap.store.StoreStatusCodes;

/**
 * Maps store failures to gRPC statuses whose descriptions say what to fix; never swallows a cause. Used by
 * every service of the server, so a store failure reads the same whichever call met it.
 */
public final class StoreStatus {
    private static final Logger log = LoggerFactory.getLogger(StoreStatus.class);

    private StoreStatus() {
    }

    /**
     * A status exception as is; a {@link StoreException} as the status of its reason, with the store's
     * message and a {@code vheap-reason} trailer ({@link StoreStatusCodes}); anything else as INTERNAL (logged).
     */
    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StoreException se) {
            return StoreStatusCodes.toStatus(se);
        }
        log.error("internal error in a heap-store call", t);
        return Status.INTERNAL.withDescription("internal error: " + t.getMessage() + " (details in the server log)")
                .withCause(t).asRuntimeException();
    }
}
