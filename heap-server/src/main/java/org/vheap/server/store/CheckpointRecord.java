package org.vheap.server.store;

import java.time.Instant;
import java.util.Map;

/**
 * A committed checkpoint's metadata (its VM state travels separately); {@code pinnedUntil}, when not null, is
 * how long it is kept beyond the retention policy for its device's copies of the heap's lines.
 */
public record CheckpointRecord(
        long checkpointId,
        long parentCheckpointId,
        Instant createdAt,
        String device,
        long lineCount,
        long sizeBytes,
        long linesWritten,
        long vmStateBytes,
        Map<String, String> metadata,
        Instant pinnedUntil) {
}
