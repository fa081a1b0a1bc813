package org.vheap.format;

/**
 * A checkpoint's user heap as a reader that runs no code reads it: bytes by virtual address ({@link ObjectLayout}), a
 * line the checkpoint lacks reading as zeros. The heap server reads a checkpoint's lines into a {@link SpooledLines}
 * file; tests give lines from memory. Values are little-endian, as the device's paged heap lays them out.
 */
public interface HeapLines {
    /** The first address past the heap's bytes: a read at or past it is refused. */
    long limit();

    byte getByte(long address);

    short getShort(long address);

    int getInt(long address);

    long getLong(long address);
}
