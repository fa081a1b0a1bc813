package org.vheap.format;

/**
 * The one heap format: how objects, arrays and references are laid out in the lines of a virtual heap.
 * Used by the device VM and by the server for heap inspection; free of interpreter and network code.
 *
 * <h2>References</h2>
 * A reference is a 32-bit value naming an 8-byte granule: the object's virtual address is
 * {@code (ref & 0xFFFFFFFFL) << 3}, so references reach 32 GiB of address space. Reference 0 is null.
 * The space is reserved by purpose (design notes):
 * <ul>
 *   <li>{@code 0x0000_0001 .. 0x7FFF_FFFF}: the app's <b>user heap</b> (16 GiB), lines stored per app;</li>
 *   <li>{@code 0x8000_0000 .. 0xBFFF_FFFF}: the device-local <b>nursery</b> ({@code org.vheap.device.vm.heap.Nursery}): new objects, never
 *       flushed nor read from the store; survivors are promoted into the user heap by a minor collection, which
 *       every checkpoint runs first;</li>
 *   <li>{@code 0xC000_0000 .. 0xFFFF_FFFF}: the read-only <b>system segment</b>.</li>
 * </ul>
 *
 * <h2>Objects</h2>
 * Every object starts on a granule with an 8-byte header: the class id ({@code int} at offset 0; 0 never
 * names a class, so a zero word means "free to the end of the line") and the status word ({@code int} at
 * offset 4: GC mark bit, identity-hash-present bit and a 24-bit identity hash). Instance fields follow at
 * offset 8, each aligned to its own size (references are 4 bytes). An array has its length ({@code int}) at
 * offset 8 and its elements from offset 16. Sizes are rounded up to the granule.
 *
 * <h2>Lines</h2>
 * An object no larger than a line never straddles two lines: the allocator starts it on the next line
 * instead. A larger one starts on a line boundary and spans consecutive lines. Line 0 holds the heap header
 * (roots of the heap for a resume).
 *
 * <h2>The system segment</h2>
 * Class files the VM defines are placed, in definition order, each at its own line boundary in the system
 * segment ({@code vm.loader.SystemSegmentMap}); their lines are read-only system lines of the cache table,
 * faulted in from the store's content-addressed system blobs. Nothing in the user heap references them:
 * the heap header's placement table records where each class file is.
 */
public final class ObjectLayout {
    public static final int GRANULE_SHIFT = 3;
    public static final int GRANULE = 1 << GRANULE_SHIFT;
    public static final int HEADER_BYTES = 8;
    public static final int CLASS_ID_OFFSET = 0;
    public static final int STATUS_OFFSET = 4;
    public static final int ARRAY_LENGTH_OFFSET = 8;
    public static final int ARRAY_BASE_OFFSET = 16;

    /** Status word: the collector's mark bit. */
    public static final int STATUS_MARK = 1;
    /** Status word: an identity hash has been assigned (bits 8..31). */
    public static final int STATUS_HASHED = 2;
    public static final int HASH_SHIFT = 8;

    /** First reference of each segment. */
    public static final int USER_HEAP_FIRST_REF = 1;
    public static final long USER_HEAP_LIMIT = 1L << 34;
    public static final int NURSERY_FIRST_REF = 0x8000_0000;
    /** The nursery's first byte: {@code address(NURSERY_FIRST_REF)} (16 GiB). */
    public static final long NURSERY_BASE = (NURSERY_FIRST_REF & 0xFFFFFFFFL) << GRANULE_SHIFT;
    public static final int SYSTEM_SEGMENT_FIRST_REF = 0xC000_0000;
    /** The system segment's first byte: {@code address(SYSTEM_SEGMENT_FIRST_REF)} (24 GiB). */
    public static final long SYSTEM_SEGMENT_BASE = (SYSTEM_SEGMENT_FIRST_REF & 0xFFFFFFFFL) << GRANULE_SHIFT;
    /** The end of the system segment (and of the reference space): 32 GiB. */
    public static final long SYSTEM_SEGMENT_LIMIT = 1L << 35;

    private ObjectLayout() {
    }

    /** The virtual address a reference names. */
    public static long address(int ref) {
        return (ref & 0xFFFFFFFFL) << GRANULE_SHIFT;
    }

    /** The reference naming a granule-aligned address. */
    public static int ref(long address) {
        return (int) (address >>> GRANULE_SHIFT);
    }

    /** Whether a reference names an object in the nursery. */
    public static boolean isNursery(int ref) {
        return (ref & 0xC000_0000) == NURSERY_FIRST_REF;
    }

    /** Rounds a size up to whole granules. */
    public static long alignToGranule(long bytes) {
        return (bytes + GRANULE - 1) & -GRANULE;
    }

    /** Bytes of an array object with {@code length} elements of {@code 1 << elementShift} bytes. */
    public static long arrayBytes(int length, int elementShift) {
        return alignToGranule(ARRAY_BASE_OFFSET + ((long) length << elementShift));
    }

    /** log2 of the element size for a JVM field descriptor's first character. */
    public static int elementShift(char descriptor) {
        return switch (descriptor) {
            case 'Z', 'B' -> 0;
            case 'C', 'S' -> 1;
            case 'I', 'F', 'L', '[' -> 2;
            case 'J', 'D' -> 3;
            default -> throw new IllegalArgumentException("not a field descriptor: " + descriptor);
        };
    }
}
