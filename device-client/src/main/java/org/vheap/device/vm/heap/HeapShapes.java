package org.vheap.device.vm.heap;

/**
 * What the collector needs to know about objects, answered by the VM from its class table: each object's
 * size and where its references are. Keeps this package free of interpreter code.
 */
public interface HeapShapes {
    /** Bytes of the object at {@code ref} (granule-aligned). */
    long sizeOf(int ref);

    /**
     * Calls {@code slots} with the address of every reference field or element of the object at {@code ref}:
     * a collector reads (and, when the object it names moves, rewrites) the reference there.
     */
    void forEachReferenceSlot(int ref, java.util.function.LongConsumer slots);
}
