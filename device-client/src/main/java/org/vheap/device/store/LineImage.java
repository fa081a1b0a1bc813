package org.vheap.device.store;

/**
 * The bytes of one heap line as they travel to the store. {@code data} is exactly the heap's line size and is
 * owned by the image once built (callers pass a copy, never a live frame).
 */
public record LineImage(long lineId, byte[] data) {
    public LineImage {
        if (lineId < 0) {
            throw new IllegalArgumentException("line id must be >= 0, got " + lineId);
        }
        if (data == null) {
            throw new IllegalArgumentException("line " + lineId + " has no data");
        }
    }
}
