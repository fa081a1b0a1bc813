package org.vheap.device.vm.heap;

/**
 * Places new objects in the user heap (see {@link ObjectLayout} for the rules): a bump pointer that moves to
 * the next line when an object does not fit in the rest of the current one, so small objects never
 * straddle lines. Memory handed out is zeroed. Returns 0 when the heap limit is reached: the caller collects
 * garbage or throws OutOfMemoryError.
 *
 * <p>The allocation pointer is part of the heap's roots (saved in the heap header at a checkpoint).
 */
public final class ObjectAllocator {
    private final HeapMemory memory;
    private final long lineSize;
    private final long limit;
    private long top;
    private long bytesAllocated;

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
    }

    /**
     * Allocates {@code bytes} (granule-aligned, at least the header) with the class id written into the
     * header and everything else zero. Returns the reference, or 0 when the heap is full.
     */
    public int allocate(int classId, long bytes) {
        long at = top;
        long inLine = at & (lineSize - 1);
        if (bytes <= lineSize) {
            if (inLine + bytes > lineSize) {
                at += lineSize - inLine;
            }
        } else if (inLine != 0) {
            at += lineSize - inLine;
        }
        long end = at + bytes;
        if (end > limit) {
            return 0;
        }
        // lines beyond the old top were never handed out; zero only what may hold old data
        memory.zero(at, bytes);
        memory.putInt(at + ObjectLayout.CLASS_ID_OFFSET, classId);
        top = end;
        bytesAllocated += bytes;
        return ObjectLayout.ref(at);
    }

    /** The first address beyond the heap. */
    public long limit() {
        return limit;
    }

    /** The first free address. */
    public long top() {
        return top;
    }

    /** Bytes handed out since this allocator was made. */
    public long bytesAllocated() {
        return bytesAllocated;
    }

    /** Bytes between the end of the header line and the allocation pointer. */
    public long bytesInUse() {
        return top - lineSize;
    }
}
