package org.vheap.device;

import org.vheap.device.vm.heap.CollectionLog;

/**
 * What a device run did, for tests and benchmarks.
 *
 * @param bytecodes       bytecodes the interpreter executed (not those of translated code: see methodsTranslated)
 * @param misses          user-line faults (the store, or zero-fill for lines it lacks)
 * @param linesFlushed    dirty lines written to the store (evictions and pre-flushes)
 * @param evictions       lines dropped from their frames (user and system)
 * @param heapBytesUsed   bytes of the virtual heap in use by live and not yet collected objects at the end
 * @param peakHeapBytes   the largest heapBytesUsed seen
 * @param collections     garbage collections run, minor and full
 * @param systemMisses    system-line (class file) faults, served by a host copy not yet uploaded or the store
 * @param systemEvictions system lines dropped from their frames
 * @param classFilesFetched class files read back from the store's system blobs to serve system-line faults
 * @param classFilesPlaced  distinct class files placed in the heap's system segment
 * @param bytesFetched    heap line bytes received from the store (whole lines, and patches against cached copies)
 * @param linesUnchanged  lines read that the store said were unchanged from the device's cached copy (sent
 *                        without their bytes; 0 without a line cache)
 * @param linesPreflushed lines written ahead of checkpoints in the background (pre-flushing)
 * @param linesFetched    user lines read from the store (misses on lines it may hold, and prefetches)
 * @param linesDiscarded  user lines a collection freed whole and dropped (never written nor read back)
 * @param linesDeleted    discarded lines deleted from the store
 * @param bytesPromoted   bytes the minor collections copied from the nursery into the user heap
 * @param nurseryBytes    the nursery's size (0: none)
 * @param collectionLog   every collection (the newest {@link CollectionLog#KEPT}): kind, pause, lines touched and
 *                        faulted
 * @param workingSetBytes the size of the user heap's working sets (0: none, every collection of it is full)
 * @param bytesCompacted  bytes full collections moved to compact the user heap (0 with {@code --no-compact})
 * @param backgroundWritesFailed background writes of dirty lines (cleaning, write-behind) that failed; their lines
 *                        stayed dirty, and a later flush wrote them or reported the store's failure
 * @param methodsTranslated methods the tier translated into host code (0 with {@code --no-tier})
 * @param linesPatched    lines read that changed since the device's cached copy and came as patches against it
 * @param bytesChanged    bytes of the lines read (unchanged ones aside) that differ from the device's cached copies,
 *                        a line without a copy counting whole: what changed, against {@code bytesFetched}, what moved
 */
public record DeviceStats(long bytecodes, long misses, long linesFlushed, long evictions, long heapBytesUsed,
                          long peakHeapBytes, long collections, long systemMisses, long systemEvictions,
                          long classFilesFetched, int classFilesPlaced, long bytesFetched, long linesUnchanged,
                          long linesPreflushed, long linesFetched, long linesDiscarded, long linesDeleted,
                          long bytesPromoted, long nurseryBytes, CollectionLog collectionLog, long workingSetBytes,
                          long bytesCompacted, long backgroundWritesFailed, int methodsTranslated, long linesPatched,
                          long bytesChanged) {
    /** Each full collection's pause (of the kept ones), in nanoseconds, oldest first. */
    public long[] collectionPauseNanos() {
        return collectionLog.pauses(CollectionLog.Kind.FULL);
    }

    /** Minor collections run (this run of the device). */
    public long minorCollections() {
        return collectionLog.count(CollectionLog.Kind.MINOR);
    }

    /** Each minor collection's pause (of the kept ones), in nanoseconds, oldest first. */
    public long[] minorPauseNanos() {
        return collectionLog.pauses(CollectionLog.Kind.MINOR);
    }

    /** Collections of the user heap's young lines. */
    public long youngCollections() {
        return collectionLog.count(CollectionLog.Kind.YOUNG);
    }

    /** Collections of a group of working sets of the user heap. */
    public long workingSetCollections() {
        return collectionLog.count(CollectionLog.Kind.WORKING_SET);
    }
}
