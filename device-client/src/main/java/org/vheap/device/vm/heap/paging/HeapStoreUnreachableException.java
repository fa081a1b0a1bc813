package org.vheap.device.vm.heap.paging;

import org.vheap.store.StoreException;

/**
 * The store stayed {@code UNAVAILABLE} through every attempt of a paging read or flush. Nothing was lost:
 * a line that was to be flushed is still dirty in its frame, and the access that needed the store can be
 * repeated once the store is back. The cause is the last attempt's {@link StoreException}.
 */
public final class HeapStoreUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HeapStoreUnreachableException(String message, StoreException lastFailure) {
        super(message, lastFailure);
    }
}
