package org.vheap.server.store;

/** One line's content: {@code data} is exactly the heap's line size. The array is not copied. */
public record LineData(long lineId, byte[] data) {
}
