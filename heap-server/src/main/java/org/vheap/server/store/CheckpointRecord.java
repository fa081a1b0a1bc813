package org.vheap.server.store;

import java.time.Instant;
import java.util.Map;

/** A committed checkpoint's metadata (its VM state travels separately). */
public record CheckpointRecord(
        long checkpointId,
        long parentCheckpointId,
        Instant createdAt,
        String device,
        long lineCount,
        long sizeBytes,
        long linesWritten,
        long vmStateBytes,
        Map<String, String> metadata) {
}
