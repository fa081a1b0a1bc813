package org.vheap.device.vm.heap.paging;

/**
 * A snapshot of a {@link PagedHeap}'s paging counters (since it was built) and of its frames (now).
 *
 * @param misses            references to a user line without a frame (the seed's cache misses), prefetches
 *                          excluded
 * @param linesFetched      lines read from the store (misses and prefetches; empty lines need no read)
 * @param fetchTransactions {@code HeapSession.read} calls that succeeded
 * @param linesFlushed      lines written to the store by evictions and {@link PagedHeap#flushAll()}
 * @param flushTransactions {@code HeapSession.flush} calls that succeeded
 * @param evictions         lines whose frame was freed
 * @param storeRetries      store calls repeated after {@code UNAVAILABLE} or {@code ABORTED}
 * @param frames            frames of device memory
 * @param residentFrames    frames holding a line
 * @param dirtyFrames       frames holding a dirty line
 * @param systemMisses      references to a system line (class file) without a frame, read from the system segment
 * @param systemEvictions   system lines whose frame was freed (also counted in {@code evictions})
 * @param systemFrames      frames holding a system line (also counted in {@code residentFrames})
 * @param linesDiscarded    lines a collection found free and dropped ({@link PagedHeap#discard}): never written
 *                          nor read again for what they held
 * @param linesDeleted      discarded lines deleted from the store (sent with a flush or a checkpoint)
 * @param backgroundWritesFailed background writes (cleaning, write-behind) that failed: their lines stayed dirty,
 *                          for a later flush to write and, if the store is still failing, to report
 */
public record PagingStats(long misses, long linesFetched, long fetchTransactions, long linesFlushed,
                          long flushTransactions, long evictions, long storeRetries, int frames, int residentFrames,
                          int dirtyFrames, long systemMisses, long systemEvictions, int systemFrames,
                          long linesDiscarded, long linesDeleted, long backgroundWritesFailed) {
}
