package org.vheap.server.store;

import java.util.List;

/** A committed checkpoint and the checkpoints the retention policy pruned in the same transaction. */
public record CommitResult(CheckpointRecord checkpoint, List<Long> prunedCheckpointIds) {
}
