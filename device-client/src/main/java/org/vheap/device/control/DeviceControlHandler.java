package org.vheap.device.control;

/**
 * What the heap server may ask of a device. Called on a thread of the {@link DeviceControlClient}'s command
 * executor, possibly for several apps at once. A method that throws refuses the command: its message goes
 * back to the server (and to the operator who asked).
 */
public interface DeviceControlHandler {
    /**
     * Suspends an app running here: at a safepoint, commits a checkpoint, stops the app and releases its
     * heap's lease. Returns the id of the checkpoint committed.
     */
    long suspend(String app) throws Exception;

    /** Resumes an app here from a checkpoint of its heap ({@code 0}: the newest), taking the heap's lease. */
    void resume(String app, long checkpointId) throws Exception;

    /** Stops an app running here without a checkpoint, releasing its lease. */
    void stop(String app) throws Exception;
}
