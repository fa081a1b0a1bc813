package org.vheap.device;

import org.vheap.device.vm.heap.paging.StoreWaits;

/**
 * What a device reports about an app's life beyond its output: checkpoints taken and failed, and the pauses of an
 * app whose line reads or flushes wait for an unavailable store ({@link StoreWaits}; {@code storeBack} also follows
 * a checkpoint that went through after {@link #checkpointFailed}). The CLI prints
 * them to the device's log (stderr, prefixed {@code vheap:}); tests record them. Called on the VM's thread.
 */
public interface DeviceEvents extends StoreWaits {
    /** A checkpoint was committed: its id, the lines it wrote, how long it took, and what triggered it. */
    void checkpointed(long checkpointId, int lines, long nanos, String reason);

    /** A checkpoint failed and will be retried; the app is paused meanwhile. */
    void checkpointFailed(String why);

    /**
     * The app was resumed from a checkpoint: how long from opening its heap to its first safepoint, step by step,
     * and how many heap lines had been fetched by then.
     */
    default void resumed(long checkpointId, ResumeSteps steps, long linesFetched) {
    }

    /**
     * These events for one app of a device that runs several ({@link DeviceAgent}): the same, unless they name the
     * app they report on (the CLI's do).
     */
    default DeviceEvents forApp(String app) {
        return this;
    }

    /** Reports nothing. */
    static DeviceEvents none() {
        return new DeviceEvents() {
            @Override
            public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            }

            @Override
            public void checkpointFailed(String why) {
            }
        };
    }
}
