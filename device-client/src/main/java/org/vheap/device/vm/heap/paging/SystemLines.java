package org.vheap.device.vm.heap.paging;

import org.vheap.store.StoreException;

/**
 * Where a {@link PagedHeap} gets a system line on a miss: the read-only system segment (class files placed
 * at line boundaries, content-addressed in the store's system blobs and shared by every app of the store).
 * The VM's class loader implements it ({@code vm.loader.SystemSegment}); the heap only knows line ids.
 */
@FunctionalInterface
public interface SystemLines {
    /**
     * Copies the bytes of system line {@code lineId} into {@code dst} from {@code offset}: exactly one line,
     * zeros past the end of the class file placed there (and for a line nothing was placed in). May call the
     * store; throws {@link org.vheap.store.StoreException} as store calls do (the heap retries
     * {@code UNAVAILABLE}).
     */
    void read(long lineId, byte[] dst, int offset);
}
