package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

/**
 * Places new objects in the user heap (see {@link ObjectLayout} for the rules): first in free space a
 * collection found below the allocation pointer, then at the bump pointer, which moves to the next line
 * when an object does not fit in the rest of the current one, so small objects never straddle lines.
 * Memory handed out is zeroed. Returns 0 when the heap limit is reached: the VM collects garbage at the
 * next safepoint and retries, or throws OutOfMemoryError.
 *
 * <p>The allocation pointer is part of the heap's roots (saved with the VM state at a checkpoint); the free
 * lists are host-side and rebuilt by a collection.
 */
public final class ObjectAllocator {

    private final HeapMemory memory;
    private final long lineSize;
    private final long limit;
    private final FreeSpace free;
    private final WorkingSets workingSets;
    private final YoungLines young;
    /** The freed line promotions refill (with young collections on), {@code [recycleAt, recycleEnd)} left. */
    private long recycleAt;
    private long recycleEnd;
    private long top;
    private long bytesAllocated;
    private long bytesSinceCollection;
    private long bytesInUse;

    /**
     * @param memory the heap
     * @param top    the first free address (a resumed heap's saved pointer, or one line for a fresh heap)
     * @param limit  the first address beyond the heap
     */
    public ObjectAllocator(HeapMemory memory, long top, long limit) {
        this.memory = memory;
        this.lineSize = memory.lineSize();
        if (top < lineSize || (top & (ObjectLayout.GRANULE - 1)) != 0) {
            throw new IllegalArgumentException("allocation must start granule-aligned after the header line, got " + top);
        }
        if (limit > ObjectLayout.USER_HEAP_LIMIT) {
            throw new IllegalArgumentException("the user heap ends at " + ObjectLayout.USER_HEAP_LIMIT + ", got " + limit);
        }
        this.top = top;
        this.limit = limit;
        this.workingSets = new WorkingSets(memory.workingSetBytes(), lineSize, top == lineSize);
        this.free = new FreeSpace(lineSize, workingSets);
        this.young = new YoungLines(lineSize);
        this.bytesInUse = top - lineSize;
    }

    /**
     * Allocates {@code bytes} (granule-aligned, at least the header) with the class id written into the
     * header and everything else zero. Returns the reference, or 0 when the heap is full.
     */
    public int allocate(int classId, long bytes) {
        long at = free.isEmpty() ? -1 : free.take(bytes);
        if (at < 0) {
            at = bump(bytes);
        }
        return at < 0 ? 0 : placed(at, classId, bytes);
    }

    /**
     * Allocates a copy the minor collection promotes: like {@link #allocate}, but with young collections on, into the
     * young lines ({@link YoungLines}): first in the lines the last young collection freed (they keep their frames), then
     * at the bump pointer, and in a free chunk (an old line) when neither has room or the heap should not grow.
     * Objects larger than a line are allocated as any other (they are never young).
     */
    int allocatePromoted(int classId, long bytes) {
        if (!young.enabled() || bytes > lineSize) {
            return allocate(classId, bytes);
        }
        long at = recycle(bytes);
        boolean fresh = at >= 0 && (at & (lineSize - 1)) == 0;
        if (at < 0 && !bumpFirst()) {
            at = free.take(bytes);   // -1 when nothing fits
        }
        if (at < 0) {
            long oldTop = top;
            at = bump(bytes);
            fresh = at >= oldTop && (at & (lineSize - 1)) == 0;   // a line above the old pointer held nothing
            if (at < 0 && !free.isEmpty()) {
                at = free.take(bytes);
                fresh = false;
            }
        }
        return at < 0 ? 0 : placed(at, classId, bytes, true, fresh);
    }

    /**
     * Whether promotions go to new lines at the bump pointer rather than into free chunks of old lines: while the free
     * space below the pointer is less than a quarter of what is in use (so the pointer does not creep up while
     * scattered free space waits for the next full collection) and the heap has {@linkplain #roomToSpare room to spare}.
     */
    private boolean bumpFirst() {
        return free.freeBytes() < bytesInUse / 4 && roomToSpare();
    }

    /**
     * Whether half the heap is left above the bump pointer: promotions then start young lines in whole free lines and
     * new ones; nearer the limit they fill free chunks first, as without young collections, so a full collection keeps
     * the free lines it compacts into and a small heap the room to promote into.
     */
    private boolean roomToSpare() {
        return limit - top >= limit / 2;
    }

    /**
     * Room for {@code bytes} (no more than a line) in the line being refilled by promotions: the next of the lines the
     * last young collection freed whole (still in frames, zeroed) that is still free, else, with room to spare, the
     * highest whole free line; -1 when there is none.
     */
    private long recycle(long bytes) {
        long at = recycleAt;
        if ((at & (lineSize - 1)) + bytes > lineSize) {
            at = (at | (lineSize - 1)) + 1;
        }
        if (at + bytes > recycleEnd) {
            endRecycling();   // the line's tail the object does not fit in goes back to the free space
            at = -1;
            for (long line = young.nextFreedLine(); line >= 0 && at < 0; line = young.nextFreedLine()) {
                if (free.takeLine(line * lineSize)) {
                    at = line * lineSize;
                }
            }
            if (at < 0 && roomToSpare()) {
                at = free.takeHighestLine();   // the lowest are where a full collection compacts into
            }
            if (at < 0) {
                recycleAt = recycleEnd = 0;
                return -1;
            }
            recycleEnd = at + lineSize;
        }
        recycleAt = at + bytes;
        return at;
    }

    /**
     * Gives the rest of the line being refilled back to the free space: before a collection (whose sweep rebuilds the
     * free space) or a checkpoint (which saves it).
     */
    void endRecycling() {
        if (recycleAt < recycleEnd) {
            free.addRange(recycleAt, recycleEnd);
        }
        recycleAt = recycleEnd = 0;
    }

    private int placed(long at, int classId, long bytes) {
        return placed(at, classId, bytes, false, false);
    }

    private int placed(long at, int classId, long bytes, boolean promotion, boolean freshLine) {
        workingSets.allocated(at, bytes);
        young.allocated(at, bytes, promotion, freshLine);
        memory.zero(at, bytes);
        memory.putInt(at + ObjectLayout.CLASS_ID_OFFSET, classId);
        bytesAllocated += bytes;
        bytesSinceCollection += bytes;
        bytesInUse += bytes;
        return ObjectLayout.ref(at);
    }

    /**
     * Room for {@code bytes} at the bump pointer, by the placement rules (not straddling lines, or working sets),
     * which it moves past them; -1 (and the pointer unmoved) when they would reach beyond the limit.
     */
    private long bump(long bytes) {
        long at = top;
        long inLine = at & (lineSize - 1);
        if (bytes <= lineSize) {
            if (inLine + bytes > lineSize) {
                at += lineSize - inLine;
            }
        } else if (inLine != 0) {
            at += lineSize - inLine;
        }
        long placed = workingSets.place(at, bytes);
        if (placed + bytes > limit) {
            return -1;
        }
        if (placed != at) {
            free.addRange(top, placed);   // the rest of a working set the object would have straddled
        }
        top = placed + bytes;
        return placed;
    }

    /**
     * A whole line for the copies of live objects a full collection moves ({@link Evacuation}): a free line below the
     * bump pointer (free since the last collection, so nothing live lies there; dropped then, so zero-filled rather
     * than read), else one at the bump pointer. Free lines first, so compaction does not raise the allocation pointer
     * collection after collection (promotion needs room there). Not counted as allocation (the collection counts what
     * lives), not zeroed (the copies fill it). -1 when there is neither.
     */
    long evacuationLine() {
        long at = free.isEmpty() ? -1 : free.take(lineSize);
        return at >= 0 ? at : bump(lineSize);
    }

    /** The first address beyond the heap. */
    public long limit() {
        return limit;
    }

    /** The first never-allocated address. */
    public long top() {
        return top;
    }

    /** Bytes handed out since this allocator was made. */
    public long bytesAllocated() {
        return bytesAllocated;
    }

    /** Bytes handed out since the last collection. */
    public long bytesSinceCollection() {
        return bytesSinceCollection;
    }

    /** Bytes of live and not yet collected objects. */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes free below the allocation pointer. */
    public long freeBytes() {
        return free.freeBytes();
    }

    FreeSpace freeSpace() {
        return free;
    }

    /** The user heap's working sets (their remembered sets and bookkeeping). */
    public WorkingSets workingSets() {
        return workingSets;
    }

    /** The user heap's young lines (none unless {@link #enableYoungCollections}). */
    public YoungLines youngLines() {
        return young;
    }

    /**
     * Turns young collections on ({@link YoungLines}): one is due each time {@code budget} bytes were allocated in young
     * lines. Off by default; not with working sets (each is a way of collecting part of the user heap).
     */
    public void enableYoungCollections(long budget) {
        if (workingSets.enabled()) {
            throw new IllegalStateException("young collections and working sets exclude each other");
        }
        young.enable(budget);
        memory.holdBackFlushing(young::holdsBack);
    }

    /** The free space below the allocation pointer as (address, bytes) pairs, for a checkpoint's VM state. */
    public long[] freeRanges() {
        endRecycling();
        return free.ranges();
    }

    /**
     * Resumes the bookkeeping a checkpoint saved: the free ranges ({@link #freeRanges}) and the bytes in use.
     * Only on a fresh allocator, before anything is allocated.
     */
    public void restore(long[] freeRanges, long inUse, long sinceCollection) {
        if (bytesAllocated != 0 || !free.isEmpty()) {
            throw new IllegalStateException("restore only into a fresh allocator");
        }
        for (int i = 0; i < freeRanges.length; i += 2) {
            long at = freeRanges[i];
            long bytes = freeRanges[i + 1];
            if (at < lineSize || bytes <= 0 || at + bytes > top || (at & (ObjectLayout.GRANULE - 1)) != 0) {
                throw new IllegalArgumentException("free range [" + at + ", +" + bytes + ") lies outside the heap (top " + top + ")");
            }
            free.addRange(at, at + bytes);
        }
        bytesInUse = inUse;
        bytesSinceCollection = sinceCollection;
    }

    /** A collection found {@code [from, to)} free: its whole lines are dropped from the heap. */
    void discard(long from, long to) {
        if (to > from) {
            memory.discard(from, to - from);
        }
    }

    /** After a full collection: the new allocation pointer and the bytes the survivors take. */
    void collected(long newTop, long liveBytes) {
        top = newTop;
        bytesInUse = liveBytes;
        bytesSinceCollection = 0;
        young.reset();
    }

    /**
     * After a collection of one working set: the new allocation pointer (lower only when the working set held the
     * top) and the bytes in use there before and after.
     */
    void collectedWorkingSet(long newTop, long inUseBefore, long inUseAfter) {
        top = newTop;
        bytesInUse += inUseAfter - inUseBefore;
        bytesSinceCollection = 0;
    }
}
