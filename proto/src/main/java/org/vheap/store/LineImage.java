package org.vheap.store;

/**
 * One heap line as it travels to or from the store: its id and its bytes ({@code Line} on the wire). {@code data}
 * is exactly the heap's line size (the store checks it against the heap) and is owned by the image once built:
 * callers pass a copy, never a live frame, and the array is not copied again.
 */
public record LineImage(long lineId, byte[] data) {
    public LineImage {
        if (lineId < 0) {
            throw StoreException.invalid("bad line id " + lineId + ": line ids are >= 0");
        }
        if (data == null) {
            throw StoreException.invalid("line " + lineId + " has no data");
        }
    }
}
