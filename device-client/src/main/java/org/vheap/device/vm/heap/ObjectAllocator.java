package org.vheap.device.vm.heap;

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
            if (at < 0) {
                return 0;
            }
        }
        workingSets.allocated(at, bytes);
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

    /** The free space below the allocation pointer as (address, bytes) pairs, for a checkpoint's VM state. */
    public long[] freeRanges() {
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
