package org.vheap.device.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A {@link DeviceClock} for tests: it stands still (or, {@link #followingHost()}, runs with the host's clock) and
 * moves only when a test {@link #advance advances} it or something sleeps on it; a sleep returns at once, having
 * moved the clock by its length and recorded it ({@link #sleeps()}), and runs the test's {@link #onSleep} hook.
 * Thread-safe.
 */
public final class ManualClock implements DeviceClock {
    private final boolean followHost;
    private final long origin = System.nanoTime();
    private final AtomicLong moved = new AtomicLong();
    private final List<Long> sleeps = new ArrayList<>();
    private volatile LongConsumer onSleep = n -> { };

    /** A clock that stands still until advanced or slept on. */
    public ManualClock() {
        this(false);
    }

    private ManualClock(boolean followHost) {
        this.followHost = followHost;
    }

    /**
     * A clock that runs with the host's (so a VM's sleeping threads wake as usual) and jumps ahead when advanced
     * or slept on.
     */
    public static ManualClock followingHost() {
        return new ManualClock(true);
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        moved.addAndGet(d.toNanos());
    }

    /** Runs {@code hook} with the sleep's length after each sleep has moved the clock. */
    public void onSleep(LongConsumer hook) {
        this.onSleep = hook;
    }

    /** The lengths of the sleeps so far, in nanoseconds, oldest first. */
    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public long nanoTime() {
        return (followHost ? System.nanoTime() : origin) + moved.get();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(nanos);
        }
        moved.addAndGet(Math.max(0, nanos));
        onSleep.accept(nanos);
    }
}
