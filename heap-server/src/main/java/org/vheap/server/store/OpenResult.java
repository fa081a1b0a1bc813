package org.vheap.server.store;

/**
 * What opening a heap gives the device: the heap, its lease, the checkpoint its new open epoch starts
 * from ({@code null} for a heap with none) and, if asked, that checkpoint's VM state.
 */
public record OpenResult(long heapId, int lineSize, HeapLease lease, CheckpointRecord baseCheckpoint,
                         byte[] vmState, boolean created, long discardedLines) {
}
