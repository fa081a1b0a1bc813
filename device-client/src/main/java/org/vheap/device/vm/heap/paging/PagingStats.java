package org.vheap.device.vm.heap.paging;

/**
 * A snapshot of a {@link PagedHeap}'s paging counters (since it was built) and of its frames (now).
 *
 * @param misses            references to a line without a frame (the seed's cache misses), prefetches excluded
 * @param linesFetched      lines read from the store (misses and prefetches; empty lines need no read)
 * @param fetchTransactions {@code HeapSession.read} calls that succeeded
 * @param linesFlushed      lines written to the store by evictions and {@link PagedHeap#flushAll()}
 * @param flushTransactions {@code HeapSession.write} calls that succeeded
 * @param evictions         lines whose frame was freed
 * @param storeRetries      store calls repeated after {@code UNAVAILABLE}
 * @param frames            frames of device memory
 * @param residentFrames    frames holding a line
 * @param dirtyFrames       frames holding a dirty line
 */
public record PagingStats(long misses, long linesFetched, long fetchTransactions, long linesFlushed,
                          long flushTransactions, long evictions, long storeRetries, int frames, int residentFrames,
                          int dirtyFrames) {
}
