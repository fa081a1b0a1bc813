package org.vheap.server.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vheap.format.BlobHash;
import org.vheap.store.LineImage;

/**
 * What reads one committed checkpoint whole from the store ({@link PgHeapStore#readCheckpoint}), from one snapshot:
 * first the checkpoint with its VM state, then the system blobs it asks for, then every line it holds, in line order,
 * in batches. Any of its methods may throw to stop the read.
 */
public interface CheckpointReader {
    /** The checkpoint, its heap's line size and its VM state; answers the system blobs to read. */
    Set<BlobHash> begin(CheckpointRecord checkpoint, int lineSize, byte[] vmState);

    /** The blobs asked for that the store has (one it lacks is absent). */
    void blobs(Map<BlobHash, byte[]> found);

    /** The next lines, in ascending line order. */
    void lines(List<LineImage> batch);
}
