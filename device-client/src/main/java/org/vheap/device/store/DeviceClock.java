package org.vheap.device.store;

/**
 * The time a device reads and waits on: a monotonic nanosecond count and a sleep, passed in so that a test
 * drives them with a clock it moves and a sleep that returns at once. {@link #system()} is the host's.
 *
 * <p>What runs on it: the wait for a held heap lease ({@link DeviceSessions}), the paging layer's store retry
 * with its backoff, the checkpoint interval, the heap lease renewals and the checkpoint's pause while the store
 * is away ({@code Checkpointer}), the time a resume takes, and the VM's {@code System.nanoTime}.
 *
 * <p>What does not (it reads or waits on the host directly): the VM's {@code System.currentTimeMillis} (the
 * device passes {@code System::currentTimeMillis}); the VM's idle wait when every app thread sleeps or waits
 * with a timeout ({@code VmLauncher.sleepHost}, a {@code Thread.sleep} of the host, though the wake-up times
 * are on this clock); and the control client's waits and reconnect backoff ({@code DeviceControlClient}:
 * {@code System.nanoTime}, a scheduled executor). The benchmarks time themselves on the host's clock.
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
