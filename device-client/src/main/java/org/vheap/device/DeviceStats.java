package org.vheap.device;

/**
 * What a device run did, for tests and benchmarks.
 *
 * @param bytecodes       bytecodes executed
 * @param misses          line faults served by the store
 * @param linesFlushed    dirty lines written to the store (evictions and pre-flushes)
 * @param evictions       lines dropped from their frames
 * @param heapBytesUsed   bytes of the virtual heap in use by live and not yet collected objects at the end
 * @param peakHeapBytes   the largest heapBytesUsed seen
 * @param collections     garbage collections run
 */
public record DeviceStats(long bytecodes, long misses, long linesFlushed, long evictions, long heapBytesUsed,
                          long peakHeapBytes, long collections) {
}
