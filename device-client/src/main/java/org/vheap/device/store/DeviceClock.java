package org.vheap.device.store;

/**
 * The time a device reads and waits on: a monotonic nanosecond count and a sleep. Every wait and every
 * time-based decision of a device takes one passed in — the wait for a held heap lease
 * ({@link DeviceSessions}), the paging layer's store retry with its backoff, the checkpoint triggers and the
 * checkpoint's pause while the store is away, the VM's own clock — never {@code System.nanoTime} or
 * {@code Thread.sleep} directly, so that a test drives them with a clock it moves and a sleep that returns at
 * once. {@link #system()} is the host's.
 */
public interface DeviceClock {

    /** Nanoseconds from an arbitrary origin, never going back (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Waits {@code nanos} (nothing when {@code nanos <= 0}). */
    void sleep(long nanos) throws InterruptedException;

    /** The host's clock: {@link System#nanoTime()} and {@link Thread#sleep(long, int)}. */
    static DeviceClock system() {
        return new DeviceClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
                }
            }

            @Override
            public String toString() {
                return "the host's clock";
            }
        };
    }
}
