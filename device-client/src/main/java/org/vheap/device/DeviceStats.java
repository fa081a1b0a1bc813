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
 * @param bytesFetched    heap line bytes received from the store
 * @param linesUnchanged  lines read that the store said were unchanged from the device's cached copy (sent
 *                        without their bytes; 0 without a line cache)
 */
public record DeviceStats(long bytecodes, long misses, long linesFlushed, long evictions, long heapBytesUsed,
                          long peakHeapBytes, long collections, long bytesFetched, long linesUnchanged) {
}
