package org.vheap.device.vm.heap.paging;

import org.vheap.store.StoreException;

/**
 * Another device has taken this app's heap (or the lease was closed): the store refused a paging read or
 * flush with {@code FENCED} and changed nothing. Never retried — this device must stop running the app;
 * its dirty lines stay in their frames but can no longer reach the store. The cause is the store's
 * {@link StoreException}.
 */
public final class HeapFencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HeapFencedException(String message, StoreException cause) {
        super(message, cause);
    }
}
