package org.vheap.device.vm.thread;

/** A green thread's scheduling state (a subset of {@code java.lang.Thread.State}). */
public enum ThreadState {
    /** Ready to run or running. */
    RUNNABLE,
    /** Waiting to enter a monitor another thread owns. */
    BLOCKED,
    /** In Object.wait or join without a timeout, or parked. */
    WAITING,
    /** In sleep or a timed wait. */
    TIMED_WAITING,
    /** Finished. */
    TERMINATED
}
