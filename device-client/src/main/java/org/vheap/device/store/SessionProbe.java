package org.vheap.device.store;

/**
 * Points inside a device's writes to the store, announced by its {@link DeviceSession} as each write passes them. The
 * crash tests stop a device at one and kill it there ({@code org.vheap.device.CrashPoint}, {@code --crash-at}), to
 * prove that a kill in the middle of a flush, a pre-flush or a checkpoint loses nothing a checkpoint committed. The
 * session only announces; {@link #NONE} does nothing.
 */
@FunctionalInterface
public interface SessionProbe {
    /** A point inside a write; at each, the store has the write and the device has not taken its answer in yet. */
    enum Point {
        /** A flush (an eviction's write of dirty lines) acknowledged by the store; the lines still FLUSHING. */
        FLUSH,
        /** A background write acknowledged, on the writer thread: a pre-flush of a checkpoint's lines, or the write-behind of lines about to be evicted. */
        PREFLUSH,
        /** A checkpoint committed by the store; the device (and so the app) not told yet. */
        COMMIT
    }

    SessionProbe NONE = point -> { };

    void passed(Point point);
}
