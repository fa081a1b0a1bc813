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
 * add and the array access. Any other resident line costs the table lookup and setting its referenced bit.
 *
 * <h2>Line states</h2>
 * {@link org.vheap.device.vm.heap.paging.LineState}: a line with a frame is RESIDENT (in sync with the
 * store), DIRTY (written since) or FLUSHING (in a flush batch whose write is in progress); a line without
 * one is PERSISTENT (the store has it) or EMPTY (the store does not: it reads as zeros). Reads are the read
 * barrier: a miss on a PERSISTENT line reads it through {@code HeapSession.read}; a miss on an EMPTY one
 * zero-fills a frame without a store call. When the session started from no checkpoint, every untouched
 * line is EMPTY, so a fresh app never reads the store for memory it has not flushed. A resumed heap is told
 * its checkpoint's allocation pointer ({@link org.vheap.device.vm.heap.paging.PagedHeap#unusedFrom}): untouched
 * lines above it read as zeros without a store read too (they count as stored, so zeros written there are
 * written out and replace any old version). Stores are the write
 * barrier: the first store to a clean line marks it DIRTY. A line the store never held that is still all
 * zero when evicted is not written at all.
 *
 * <h2>Eviction: CLOCK, clean first among the not recently used, in batches</h2>
 * {@link org.vheap.device.vm.heap.paging.EvictionSweep} chooses; {@code PagedHeap} flushes and evicts what it
 * chose. The seed names LRU; this is its CLOCK approximation. Each frame has a referenced bit, set whenever an
 * access translates through the cache table (one array store); the eviction sweep's hand clears it and passes on
 * (second chance), so the lines it takes are those not used since it last passed. An exact LRU list (doubly linked
 * in two {@code int[]}s) was built first and measured: relinking on every change of line made a table-path access
 * 14 ns instead of 6, for an order no better in practice. The lines in the translation caches (the lines of the last
 * two reads and the last two writes that missed them, so a loop alternating between two lines never reaches the table)
 * count as referenced.
 * Following the seed's free-page threshold: before a miss would leave fewer free frames than the threshold, a batch
 * of at least {@code threshold} lines is evicted. Among the unreferenced lines, clean ones are taken first (the
 * seed: "non-dirty pages may be evicted before dirty pages"), then dirty ones in hand order, flushed in one {@code
 * HeapSession.flush}. Only lines of the same recency compete, like clean-first LRU (a policy made for flash, the
 * seed's target), and cold dirty lines the hand passes are flushed in that same write and stay resident, clean
 * (WSClock's cleaning; the seed's pre-flushing), so they go at the hand's next pass at the latest. When none of the
 * batch's victims is dirty, nothing waits for that write: it goes to the session's writer thread while the lines
 * stay dirty, and those not changed by the time it is seen done become clean. Both were measured to matter:
 * preferring clean lines without them thrashed (a working set of freshly fetched clean lines was evicted again and
 * again while cold dirty lines from an earlier phase stayed). Dirty victims are written behind the VM the same way
 * (write-behind, {@code PagingConfig.setWriteBehind}, on by default; not while a collection runs, which may be
 * about to free them): while the batch's clean victims leave the frames the miss needs, only those are evicted now, and the dirty ones stay resident and dirty with their write in
 * flight (one such write at a time), to be evicted clean by a later sweep; only a miss that finds too few frames
 * left waits for a flush of its own (which the session orders after the write in flight). Over a heap server this
 * made {@code samples/BinaryTrees 14} at a tenth of its heap about a tenth faster when warm. The price: a store
 * failure or a lost lease met by a background write is reported by the next flush that waits (or the checkpoint),
 * not by the eviction; the lines stay dirty meanwhile, so nothing is lost (the failed background writes are counted:
 * {@code PagingStats.backgroundWritesFailed}, which {@code --stats} prints). The sweep goes at most two turns. Lines
 * pinned with {@link org.vheap.device.vm.heap.paging.PagedHeap#pinSystem} (the seed's "colored" pages) are never
 * evicted.
 *
 * <h2>Read-ahead</h2>
 * A program that walks what it built in allocation order (a tree checked after it was built, a long list) misses on
 * ascending lines, a little out of order. {@link org.vheap.device.vm.heap.paging.ReadAhead} sees a miss that lands
 * within a few lines of the previous read as continuing a run and has the lines after it read in the same store
 * call, in a window that doubles up to an eighth of the frames (at most 32 lines; {@code
 * PagingConfig.setReadAheadLines}); any other miss reads its line alone. Only lines the store may hold and no frame
 * holds are asked for, and none while a collection runs (it brings in what it collects by its own batches, and a
 * partial collection must not fault lines beyond those). The lines read ahead enter their frames not referenced, so the eviction hand takes them first
 * if the program does not use them (unless a walk is about to reach them, below). Over a heap server this turns most of a walk's round trips into a few: {@code
 * samples/BinaryTrees 14} at a tenth of its heap reads the same 3,100 lines in about 650 store calls instead of 2,400.
 *
 * <p>A run is also what makes eviction loop-resistant. A walk over a structure larger than memory (binary-trees'
 * trees of depth 14 are 512 KiB, its memory at a tenth 438 KiB of frames) defeats CLOCK as it defeats LRU: the lines
 * not used for longest are the ones the walk reaches next, so each eviction takes a line about to be read, and the
 * walk reads every line of the structure back, every time. Once a run has three misses, the sweep takes the resident
 * lines it has <em>passed</em> (from its first miss to {@code ReadAhead.NEAR} lines below its highest) before the
 * hand turns, and the lines <em>ahead</em> of it (up to a memory's worth above its highest miss) last, the farthest
 * first: the most-recently-used policy, optimal for a loop, so only the part that does not fit is read again. A
 * collection's reads are not runs, and while one runs only the walk's passed clean lines go first (dirty lines are
 * held back); a walk ends when more than a memory's worth of lines was evicted since its last miss. Over a heap server this made binary-trees at a tenth read 2,560 lines instead of
 * 3,160 and write 5,640 instead of 6,050, 11% faster (medians of three runs side by side).
 *
 * <h2>System lines</h2>
 * The seed's page table has a type per page, user or system; here a line's type follows from its address.
 * Lines of {@code [ObjectLayout.SYSTEM_SEGMENT_BASE, SYSTEM_SEGMENT_LIMIT)} are the read-only system segment:
 * the class files the VM defined, each at a line boundary ({@code vm.loader.SystemSegmentMap}). They live in
 * the same frames as user lines, so {@code --memory} bounds both; the cache table maps them through a second
 * line-to-frame array (the system range starts at 24 GiB, far past the user lines the first array covers), so
 * the user-line fast path is unchanged. A system line enters a frame clean, either installed when its class
 * is defined ({@link org.vheap.device.vm.heap.paging.PagedHeap#installSystem}, no store read) or on a miss from
 * {@link org.vheap.device.vm.heap.paging.SystemLines} (the class file, by hash, from the store's
 * content-addressed system blobs, sliced to the line). It is never dirty, flushed, committed or deleted —
 * the heap session never sees a system line id — and it is evicted like any clean line. A store to it is an
 * {@link java.lang.IllegalStateException}: a VM bug, never a silent write. The seed lets system pages be
 * pinned; class lines are not, so a device runs a library far larger than its memory (the VM keeps parsed
 * classes in its code cache, so a class line is read again only for a re-parse or a class file the VM asks
 * for, such as a call site's nest host). {@link org.vheap.device.vm.heap.paging.PagingStats} counts system
 * misses, evictions and resident frames apart from user ones.
 *
 * <h2>Nursery lines</h2>
 * The seed's object nursery never reaches the store. The lines of {@code [ObjectLayout.NURSERY_BASE, +
 * nurseryBytes)} ({@code PagingConfig.setNurseryBytes}, carved out of the memory, so {@code --memory} bounds the
 * nursery and the frames together) live after the frames in the same {@code byte[]}, each at a fixed place. The
 * cache table never names them: an access to one goes through the translation caches like any line and, on their
 * miss, straight to its place (one range check on the slow path), never faulted, dirtied, flushed, evicted,
 * committed or deleted; the heap session never sees their ids. What they hold is the VM's business
 * ({@code vm.heap.Nursery}); a checkpoint first promotes the nursery's survivors into user lines.
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
 * <h2>Garbage lines</h2>
 * The seed's collector frees memory the store should not pay for. When a collection finds a whole line free
 * (between live objects, or above the lowered allocation pointer) it calls
 * {@link org.vheap.device.vm.heap.paging.PagedHeap#discard}: a resident line, dirty or not, is not written; it
 * keeps its frame, zeroed, clean and holding nothing the store has, the clock's first victim unless an allocation
 * reuses it first (a young collection's freed lines are what the next promotions fill: no miss, no eviction); a
 * line without a frame becomes EMPTY, so the allocation that reuses it zero-fills a frame
 * instead of reading garbage back from the store (before this, a small device running {@code BinaryTrees}
 * read most of its garbage lines back: three Transacts in four); and a line the store may hold a version of is
 * deleted from it with the next flush or checkpoint
 * ({@link org.vheap.device.vm.heap.paging.PagedHeap#garbageLines}, kept by {@code GarbageLines}). The delete is what keeps a resume correct:
 * a discarded line later filled with zeros (a new array) is not written, and after a resume it must not read
 * the old version. A discarded line written again is no longer garbage: its write supersedes the delete. A
 * background pre-flush that wrote a line a collection discarded meanwhile gets its version deleted too.
 *
 * <h2>Failures</h2>
 * Every store call of the heap goes through {@link org.vheap.device.vm.heap.paging.StoreRetry}:
 * {@code UNAVAILABLE} (and {@code ABORTED}) is retried with exponential backoff for the configured attempts
 * and retry time, then the access fails with
 * {@link org.vheap.device.vm.heap.paging.HeapStoreUnreachableException}; a failed flush leaves its lines
 * DIRTY in their frames, so nothing is lost and the access can be repeated. {@code FENCED} is never retried:
 * {@link org.vheap.device.vm.heap.paging.HeapFencedException}. The retry's pauses and its retry time run on
 * the {@link org.vheap.device.store.DeviceClock} the heap is given, so tests drive them without waiting.
 *
 * <h2>Files</h2>
 * {@code PagedHeap} (the barriers, translation, faults, flushing, checkpoint support), {@code GarbageLines} (the
 * discarded lines the store is still to delete), {@code CacheTable} (the table and the line-to-frame maps),
 * {@code LineState}, {@code EvictionSweep} (which lines a batch takes),
 * {@code ReadAhead} (which lines a miss reads with it), {@code StoreRetry} (the store calls' retry), {@code PagingConfig}, {@code PagingStats}, {@code SystemLines}
 * (where system lines come from) and the two failures.
 */
package org.vheap.device.vm.heap.paging;
