/**
 * Paging: the app's virtual heap as a bounded cache of lines in device memory — the seed's cache table,
 * cache-line states, eviction and flushing (WO 01/95106, figures 3, 7 and 8).
 *
 * <h2>Translation</h2>
 * A virtual address names a line and an offset: {@code lineId = address >>> log2(lineSize)},
 * {@code offset = address & (lineSize - 1)} (the seed's {@code CacheID}; each app has its own address space
 * starting at 0, so the seed's {@code AppID * HS} base is 0). Device memory is one {@code byte[]} of
 * {@code memoryBytes / lineSize} frames; the frame of a resident line ({@code HeapCacheID}) comes from an
 * {@code int[]} indexed by line id in the {@link org.vheap.device.vm.heap.paging.CacheTable}, and the byte is
 * {@code frame << log2(lineSize) | offset} (figure 8's {@code Haddr}). Values are read and written with
 * little-endian {@code byteArrayViewVarHandle}s. The hot path is one step shorter still:
 * {@link org.vheap.device.vm.heap.paging.PagedHeap} keeps the last line read and the last line written (and
 * already dirty) with their frame bases, so an access to the same line as the previous one is a compare, an
 * add and the array access. Any other resident line costs the table lookup and an LRU relink.
 *
 * <h2>Line states</h2>
 * {@link org.vheap.device.vm.heap.paging.LineState}: a line with a frame is RESIDENT (in sync with the
 * store), DIRTY (written since) or FLUSHING (in a flush batch whose write is in progress); a line without
 * one is PERSISTENT (the store has it) or EMPTY (the store does not: it reads as zeros). Reads are the read
 * barrier: a miss on a PERSISTENT line reads it through {@code HeapSession.read}; a miss on an EMPTY one
 * zero-fills a frame without a store call. When the session started from no checkpoint, every untouched
 * line is EMPTY, so a fresh app never reads the store for memory it has not flushed. Stores are the write
 * barrier: the first store to a clean line marks it DIRTY. A line the store never held that is still all
 * zero when evicted is not written at all.
 *
 * <h2>Eviction: exact LRU, clean before dirty, in batches</h2>
 * The cache table keeps an exact LRU list of frames (doubly linked in two {@code int[]}s): a line moves to
 * the recent end whenever an access translates through the table, and the (at most two) lines in the
 * one-entry caches are moved there before each eviction, so the order is exact at line granularity up to
 * those two. Exact LRU costs a six-store relink only when the accessed line changes, which is cheaper to
 * keep than to approximate (CLOCK would save the relink but needs a sweep and gives a worse order), and the
 * seed names LRU. Following the seed's free-page threshold: before a miss would leave fewer free frames
 * than the threshold, a batch of at least {@code threshold} lines is evicted — clean lines first (the seed:
 * "non-dirty pages may be evicted before dirty pages"), oldest first, then the oldest dirty ones, which are
 * flushed in one {@code HeapSession.write}. The known risk of clean-first: when nearly every frame is
 * dirty, reads cycle through the few clean frames; a checkpoint (which cleans every line) ends that. System
 * lines ({@link org.vheap.device.vm.heap.paging.PagedHeap#pinSystem}) are pinned and never evicted.
 *
 * <h2>Flushing and checkpoints</h2>
 * A flush is the seed's "cache flush": the line is FLUSHING (write-locked) while its write is in progress,
 * then clean (and its frame freed when evicted). Flushes are synchronous on the interpreter thread, so no
 * bytecode waits on a write lock. A flush is uncommitted — invisible to anyone resuming from the last
 * checkpoint — until {@code HeapSession.commit} publishes it with everything flushed before. For a
 * checkpoint, {@link org.vheap.device.vm.heap.paging.PagedHeap#flushAll()} pre-flushes every dirty line
 * (then a commit with no lines), or {@link org.vheap.device.vm.heap.paging.PagedHeap#dirtyLineImages()}
 * gives the lines to commit and {@link org.vheap.device.vm.heap.paging.PagedHeap#markCommitted} makes them
 * clean (RESIDENT, per the seed: "the latest changes have been flushed to the store").
 *
 * <h2>Failures</h2>
 * {@code UNAVAILABLE} is retried with exponential backoff a bounded number of times, then the access fails
 * with {@link org.vheap.device.vm.heap.paging.HeapStoreUnreachableException}; a failed flush leaves its
 * lines DIRTY in their frames, so nothing is lost and the access can be repeated. {@code FENCED} is never
 * retried: {@link org.vheap.device.vm.heap.paging.HeapFencedException}.
 */
package org.vheap.device.vm.heap.paging;
