package org.vheap.server.store;

import java.time.Instant;

/** One app's heap as listed: {@code lease} and {@code newestCheckpoint} are {@code null} when absent. */
public record AppRecord(String app, long heapId, int lineSize, Instant createdAt, HeapLease lease,
                        CheckpointRecord newestCheckpoint, int checkpointCount) {
}
