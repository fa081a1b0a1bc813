package org.vheap.device.vm;

/**
 * An allocation found the heap full. Thrown inside an instruction; the interpreter puts the instruction back
 * (it has not changed the activation yet), the VM collects garbage at the next safepoint and the instruction
 * runs again. If the heap is still full right after a collection, the app gets OutOfMemoryError.
 */
public final class HeapExhausted extends RuntimeException {
    private final long bytes;

    public HeapExhausted(long bytes) {
        super("heap full: " + bytes + " bytes requested", null, false, false);
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }
}
