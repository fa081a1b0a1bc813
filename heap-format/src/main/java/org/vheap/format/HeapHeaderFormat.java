package org.vheap.format;

/**
 * Line 0 of every heap: the heap header, which the device VM writes at safepoints ({@code vm.HeapHeader}) and a
 * reader with no device reads its tables' references from (roots of the heap).
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "VHEAP001"
 *      8     4  format version (2)
 *     12     4  number of classes in the table
 *     16     8  allocation pointer (the first never-allocated address)
 *     24     4  String[] class names (internal names, by class id; element 0 unused)
 *     28     4  byte[][] SHA-256 of each class file in the system segment (null: array, primitive)
 *     32     4  Class[] the mirrors (which hold the statics)
 *     36     4  byte[] initialization states (VmClass.InitState ordinals)
 *     40     4  String[] the interned strings
 *     44     4  int[] where each class file lies in the system segment: element 2*id is the reference
 *                   of its first byte (0: none), 2*id+1 its length in bytes
 *     48     8  the system segment's top (the first address no class file was placed at)
 * </pre>
 * Version 1 had no placement table (offsets 44..55 unused). The tables are ordinary heap arrays, so they are reached,
 * paged and collected like any object; the header's references are roots of the collector.
 */
public final class HeapHeaderFormat {
    public static final long MAGIC = 0x5648454150303031L; // "VHEAP001"
    public static final int VERSION = 2;
    public static final int CLASS_COUNT = 12;
    public static final int TOP = 16;
    public static final int NAMES = 24;
    public static final int HASHES = 28;
    public static final int MIRRORS = 32;
    public static final int STATES = 36;
    public static final int INTERNED = 40;
    public static final int PLACES = 44;
    public static final int SYSTEM_TOP = 48;
    /** The first of the table references (each 4 bytes, up to {@link #lastTable}). */
    public static final int FIRST_TABLE = NAMES;

    private HeapHeaderFormat() {
    }

    /** The offset of the last table reference a header of {@code version} has. */
    public static int lastTable(int version) {
        return version >= 2 ? PLACES : INTERNED;
    }
}
