package org.vheap.api;

/**
 * Hears of the app's checkpoints. Called on a daemon thread of the app ({@code vheap-events}), in
 * order; a listener that throws is skipped for that event.
 */
public interface CheckpointListener {
    /** A checkpoint of the app was committed. */
    default void checkpointed(long checkpointId) {
    }

    /**
     * A checkpoint failed (the store was unreachable, or the device lost the app's heap). While a checkpoint
     * fails the device pauses the app, so this is heard once the app runs again.
     */
    default void checkpointFailed(String reason) {
    }

    /** The app was resumed from {@code checkpointId} on {@code device}. */
    default void resumed(long checkpointId, String device) {
    }
}
