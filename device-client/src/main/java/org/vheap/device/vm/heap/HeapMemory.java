package org.vheap.device.vm.heap;

import org.vheap.format.ObjectLayout;

/**
 * Byte-addressed access to an app's virtual heap: what the interpreter, the allocator and the collector
 * see. Addresses are virtual addresses ({@code long}, bytes); the implementation translates each one
 * through the cache table to a frame of device memory, faulting the line in from the store on a miss
 * (read barrier) and marking it dirty on a store (write barrier). See
 * {@link org.vheap.device.vm.heap.paging.PagedHeap}.
 *
 * <p>Contract for callers: every access of N bytes is at an address that is a multiple of N, so no access
 * straddles two lines. Never-written memory reads as zero. Only the VM's interpreter thread calls these.
 */
public interface HeapMemory {
    byte getByte(long address);

    void putByte(long address, byte value);

    short getShort(long address);

    void putShort(long address, short value);

    char getChar(long address);

    void putChar(long address, char value);

    int getInt(long address);

    void putInt(long address, int value);

    long getLong(long address);

    void putLong(long address, long value);

    /** Copies {@code length} bytes as if through a temporary buffer (overlapping ranges are fine). */
    void copy(long from, long to, long length);

    /** Sets {@code length} bytes to zero. */
    void zero(long address, long length);

    /**
     * Says that the whole lines inside {@code [address, address + length)} hold no live object (a collection
     * freed them): what they held need not be kept, nor read again. Afterwards they read as zero. Bytes of
     * lines only partly inside the range are kept. This default zeroes them; a paged heap drops them instead
     * (see {@code PagedHeap.discard}).
     */
    default void discard(long address, long length) {
        long first = (address + lineSize() - 1) / lineSize() * lineSize();
        long end = (address + length) / lineSize() * lineSize();
        if (end > first) {
            zero(first, end - first);
        }
    }

    /**
     * Bytes of device memory from {@link ObjectLayout#NURSERY_BASE} on that hold the nursery: read and written like
     * any heap bytes, but never stored, flushed or faulted. 0: this heap has no nursery.
     */
    default long nurseryBytes() {
        return 0;
    }

    /**
     * The size of the user heap's working sets ({@link WorkingSets}: a power of two, at least a line), collected one at
     * a time; 0: none, every collection of the user heap is full. A paged heap sizes them from its memory.
     */
    default long workingSetBytes() {
        return 0;
    }

    /**
     * A collection starts ({@code true}) or ends: lines it finds free are about to be discarded, so a paged heap
     * holds back writing dirty lines meanwhile. This default does nothing.
     */
    default void collecting(boolean running) {
    }

    /**
     * The lines a collection is likely to free soon (young lines): a paged heap writes such a dirty line only to evict
     * it, and evicts it after the other cold lines and the warm clean ones, rather than cleaning it ahead. This default
     * ignores it.
     */
    default void holdBackFlushing(java.util.function.LongPredicate lines) {
    }

    /**
     * The distinct lines of the heap (not the nursery's) the running or last collection read or wrote, from
     * {@link #collecting collecting(true)} on; 0 where nothing pages.
     */
    default long collectionLinesTouched() {
        return 0;
    }

    /** Of {@link #collectionLinesTouched}, the lines that were not resident: faulted in. */
    default long collectionLinesFaulted() {
        return 0;
    }

    /** Whether the byte at {@code address} is in device memory now: reading it costs no fault. This default: always. */
    default boolean isResident(long address) {
        return true;
    }

    /**
     * Brings these lines (line numbers: address / line size) into device memory ahead of use, in one read of the
     * store for all it holds; some may be skipped (they fault in when used). Returns how many were brought in. This
     * default brings none.
     */
    default int prefetchLines(long[] lines) {
        return 0;
    }

    /**
     * Lines of the heap faulted in so far, and the frames of device memory that hold them: how heavily it pages
     * (the seed's "amount of caching", which a collection is induced by). Both 0 where nothing pages.
     */
    default long linesFaulted() {
        return 0;
    }

    /** Frames of device memory for the heap's lines (0 where nothing pages). */
    default int frames() {
        return 0;
    }

    /** Bytes per line. */
    int lineSize();

    /**
     * Places read-only bytes (a class file) at a line-aligned address of the system segment
     * ({@link ObjectLayout#SYSTEM_SEGMENT_BASE} on): the only way bytes get there. Afterwards they are read
     * like any heap bytes; a store to the system segment is an {@link IllegalStateException}.
     */
    void installSystem(long address, byte[] bytes);

    /**
     * Runs one of the VM's own store calls ({@code what} it does, for messages: putting class files into the system
     * blobs) as the heap runs its reads and flushes: a paged heap tries it again while the store is away or full,
     * the app paused and the device saying so, and gives up as it does for them. By default it just runs it.
     */
    default <T> T storeCall(java.util.function.Supplier<String> what, java.util.function.Supplier<T> call) {
        return call.get();
    }
}
