package org.vheap.device.vm.heap.paging;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The lines a collection freed whose versions the store may still hold: the deletes the next flush or checkpoint
 * sends ({@link PagedHeap#garbageLines}). A line is added when it is discarded (or when a background pre-flush
 * wrote it after it was discarded) and leaves when the store deleted it or when it was written again (its write
 * supersedes the store's version). Not thread-safe: it belongs to one {@link PagedHeap}.
 */
final class GarbageLines {
    private final BitSet lines = new BitSet();
    private long deleted;

    void add(long lineId) {
        lines.set(Math.toIntExact(lineId));
    }

    /**
     * The lines to delete now, in line order. Still garbage: without a frame and known empty, or in a clean frame the
     * store has no version for. A line whose write was asked for since it was added (its frame may be stored, or it
     * was evicted after one) is dropped from the set: that write supersedes the old version. A line reused but not
     * written yet (dirty or being flushed, nothing stored) stays in the set without being deleted now, since this very
     * store call may write it: if it is never written (a line still all zero is not), a later call deletes it.
     */
    long[] toDelete(CacheTable table) {
        long[] out = new long[lines.cardinality()];
        int n = 0;
        for (int line = lines.nextSetBit(0); line >= 0; line = lines.nextSetBit(line + 1)) {
            int f = table.frameOf(line);
            if (f == CacheTable.KNOWN_EMPTY
                    || (f >= 0 && table.stateOfFrame(f) == LineState.RESIDENT && !table.isStored(f))) {
                out[n++] = line;
            } else if (f == CacheTable.KNOWN_PERSISTENT || f == CacheTable.UNKNOWN || table.isStored(f)) {
                lines.clear(line);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The store deleted these ({@link #toDelete}'s). */
    void deleted(long[] lineIds) {
        for (long line : lineIds) {
            lines.clear(Math.toIntExact(line));
        }
        deleted += lineIds.length;
    }

    /** Lines the store deleted so far. */
    long deletedCount() {
        return deleted;
    }
}
