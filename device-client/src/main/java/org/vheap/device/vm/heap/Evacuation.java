package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

import java.util.BitSet;

/**
 * Compaction of the user heap for locality, done by a full collection's marking as it goes (the seed's "objects used
 * together in the same lines"): the live objects of the <em>candidate</em> lines, those the last full collection
 * found at most half live ({@link LiveLines}), are copied into whole lines (free ones below the allocation pointer,
 * else fresh ones at it) as marking meets them, in the
 * order it meets them (depth first, so an object lands next to what named it), and every slot marking reads that
 * names a moved object is rewritten there. One met on a line not in memory is moved when marking scans it, its line
 * brought in with a batch of waiting objects' lines; the slots read before that are rewritten after marking, by
 * batches too (the collector's marker keeps both lists). A candidate line whose objects all moved is then free whole, and the sweep drops it without a
 * write; the live data of many sparse lines ends up in a few dense ones.
 *
 * <p>Only what the collector can rewrite moves: the slots of live objects (marking reads each) and the roots the VM
 * stores back through the root operator (activations, thread fields, monitors, the intern table). The objects the VM
 * quickens into code or reads from the heap header (class mirrors, interned strings, the header's tables) are
 * <em>pinned</em>: the collection marks them where they are before anything else, so they never move. A copy is the
 * whole object, status word too, so identity hashes stay the same; objects larger than a line stay where they are.
 *
 * <p>The forwarding table (old reference to new) is host-side: nothing is written into the lines being emptied. What
 * it costs a paged heap: the candidate lines are read anyway (marking reads every live object), the copies fill
 * fresh lines (zero-filled, never read from the store) written at the next flushes, and each line holding a slot that
 * named a moved object becomes dirty. What it gains: the lines emptied are dropped without a write and deleted from
 * the store, and the survivors take fewer lines, so reading them later faults fewer.
 *
 * <p>Contract: one per full collection, on the VM's thread, at a safepoint. Not for a working sets' collection, whose
 * marking does not read every slot that may name what it would move.
 */
final class Evacuation {
    private final HeapMemory memory;
    private final ObjectAllocator allocator;
    private final HeapShapes shapes;
    private final long lineSize;
    /** Lines whose live objects move, by line index. */
    private final BitSet candidates;
    /** Bytes still to move this collection. */
    private long budget;
    /** Where the next copy goes: the rest of the line being filled. */
    private long cursor;
    private long cursorEnd;
    /** Open-addressed forwarding table: old reference to new (0: empty). */
    private int[] from = new int[1024];
    private int[] to = new int[1024];
    private int moved;
    private long movedBytes;

    private Evacuation(HeapMemory memory, ObjectAllocator allocator, HeapShapes shapes, BitSet candidates, long budget) {
        this.memory = memory;
        this.allocator = allocator;
        this.shapes = shapes;
        this.lineSize = memory.lineSize();
        this.candidates = candidates;
        this.budget = budget;
    }

    /**
     * Plans a collection's compaction: the candidates are the lines the last full sweep found at most half live (and
     * not empty); it moves at most half their bytes. With no full sweep yet this run ({@code lastSweep} empty), the
     * lines at most half in use by the allocator's free space: after a resume, the free space its checkpoint saved
     * (on a new heap there is none yet, and nothing moves).
     */
    static Evacuation plan(HeapMemory memory, ObjectAllocator allocator, HeapShapes shapes, LiveLines lastSweep) {
        long lineSize = memory.lineSize();
        LiveLines liveLines = lastSweep.lines() > 0 ? lastSweep
                : LiveLines.inUse(lineSize, allocator.top(), allocator.freeSpace().ranges());
        long lines = Math.min(liveLines.lines(), allocator.top() / lineSize);
        BitSet candidates = new BitSet();
        int count = 0;
        for (long line = 1; line < lines; line++) {
            int live = liveLines.bytes(line);
            if (live > 0 && 2L * live <= lineSize) {
                candidates.set(Math.toIntExact(line));
                count++;
            }
        }
        long budget = count * lineSize / 2;
        return new Evacuation(memory, allocator, shapes, candidates, budget);
    }

    /** Whether the user-heap object {@code ref} lies on a candidate line (it moves when marking meets it). */
    boolean isCandidate(int ref) {
        return candidates.get((int) (ObjectLayout.address(ref) / lineSize));
    }

    /** The new reference of an object this collection moved, or 0 when it did not move. */
    int forwarded(int ref) {
        int mask = from.length - 1;
        for (int i = slot(ref, mask); from[i] != 0; i = (i + 1) & mask) {
            if (from[i] == ref) {
                return to[i];
            }
        }
        return 0;
    }

    /**
     * Moves {@code ref}'s object (on a candidate line, not yet moved): copies it whole into the line being filled (a
     * free one below the allocation pointer, else a fresh one at it) and answers the copy's
     * reference, or 0 when it stays (larger than a line, or the budget or the heap is spent).
     */
    int move(int ref) {
        long bytes = shapes.sizeOf(ref);
        if (bytes > lineSize || bytes > budget) {
            return 0;
        }
        if (cursorEnd - cursor < bytes) {
            long line = allocator.evacuationLine();
            if (line < 0) {
                budget = 0;   // the heap is full
                return 0;
            }
            cursor = line;
            cursorEnd = line + lineSize;
        }
        long at = cursor;
        cursor += bytes;
        memory.copy(ObjectLayout.address(ref), at, bytes);
        budget -= bytes;
        movedBytes += bytes;
        int copy = ObjectLayout.ref(at);
        put(ref, copy);
        return copy;
    }

    /** Bytes moved so far. */
    long movedBytes() {
        return movedBytes;
    }

    private void put(int ref, int copy) {
        if (2 * (moved + 1) > from.length) {
            int[] oldFrom = from;
            int[] oldTo = to;
            from = new int[oldFrom.length * 2];
            to = new int[oldFrom.length * 2];
            for (int i = 0; i < oldFrom.length; i++) {
                if (oldFrom[i] != 0) {
                    insert(oldFrom[i], oldTo[i]);
                }
            }
        }
        insert(ref, copy);
        moved++;
    }

    private void insert(int ref, int copy) {
        int mask = from.length - 1;
        int i = slot(ref, mask);
        while (from[i] != 0) {
            i = (i + 1) & mask;
        }
        from[i] = ref;
        to[i] = copy;
    }

    private static int slot(int ref, int mask) {
        return (ref * 0x9E3779B9) >>> 7 & mask;
    }
}
