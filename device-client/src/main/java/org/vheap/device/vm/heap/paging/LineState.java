package org.vheap.device.vm.heap.paging;

/**
 * The states of a cache line (the seed's figure 3 and its cache-line states). A line in one of the first
 * three states occupies a frame of device memory and has an entry in the {@link CacheTable}; the other two
 * describe lines without a frame.
 */
public enum LineState {
    /**
     * Resident: newly allocated or loaded from the store, and unchanged since — or its latest changes have
     * been flushed. The frame's copy is synchronized with the session's view of the store. Evictable without
     * a store write.
     */
    RESIDENT,
    /**
     * Dirty: written since it was loaded or last flushed; no flush has been requested yet. Evicting it needs
     * a flush (a {@code HeapSession.flush}); until that flush succeeds the frame is the only copy of the data.
     */
    DIRTY,
    /**
     * Waiting to be flushed (the seed's flushing bit, only for dirty lines): the line is in a flush batch
     * whose store write is in progress, and write-locked. Here flushes are synchronous on the interpreter
     * thread, so no bytecode ever observes this state; it ends as a free frame (evicted) or, if the write
     * failed, back in {@link #DIRTY}.
     */
    FLUSHING,
    /**
     * Persistent: not resident; its latest version is in the store (flushed by this session or part of the
     * base checkpoint). A reference to it is a cache miss that reads it from the store.
     */
    PERSISTENT,
    /**
     * Empty: not resident and absent from the store — never written, or freed. It reads as zeros, and a
     * miss on it needs no store read.
     */
    EMPTY
}
