package org.vheap.device.vm.heap.paging;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The device memory that paged heaps keep their frames (and nursery) in. It belongs to a device, not to an app: a
 * {@link PagedHeap} takes its memory when it opens and gives it back when it closes, so a device that runs apps one
 * after another (a resume, a migration's arrival) reuses memory it already holds. Without this, every app asks the
 * host for a new array of tens of MiB, and the host's collector makes room for it: 12-26 ms of a warm device's resume
 * set-up, measured on the development machine, against about 2 ms of set-up in all with memory the device held.
 *
 * <p>Contract: {@link #take} returns an array of exactly the size asked, all zeros (never-written memory reads as
 * zero, and no app sees another's bytes); {@link #give} takes an array back, zeroes it, and keeps it for the next
 * {@code take} of its size, up to {@link #maxIdle} idle arrays (the newest kept; others left to the host's collector);
 * a memory that keeps none zeroes nothing. {@link #reserve} takes the memory from the host ahead of any app, as a
 * device does when it starts. An array already idle is not kept twice. Thread-safe.
 *
 * <p>Risks: an array given back must no longer be used by the heap that gave it (a {@link PagedHeap} replaces its
 * own reference when it closes, so a late access fails instead of reaching another app's frames). Zeroing costs the
 * giver about a millisecond per 16 MiB. Idle arrays are held against the host's heap for as long as the device lives.
 */
public final class FrameMemory {
    /** Idle arrays kept by {@link #FrameMemory()}: a device's own memory and one spare (an app arriving as another leaves). */
    public static final int DEFAULT_MAX_IDLE = 2;

    private final int maxIdle;
    /** Idle arrays, the most recently given first. */
    private final Deque<byte[]> idle = new ArrayDeque<>();
    private long taken;
    private long reused;

    public FrameMemory() {
        this(DEFAULT_MAX_IDLE);
    }

    /** @param maxIdle idle arrays kept at most (0: none, every heap allocates its own) */
    public FrameMemory(int maxIdle) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must be >= 0, not " + maxIdle);
        }
        this.maxIdle = maxIdle;
    }

    /** A zeroed array of {@code bytes}: an idle one of that size if there is one, else a new one. */
    public byte[] take(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, not " + bytes);
        }
        synchronized (this) {
            taken++;
            byte[] memory = idleOfSize(bytes);
            if (memory != null) {
                idle.remove(memory);
                reused++;
                return memory;
            }
        }
        return new byte[bytes];
    }

    /** Takes {@code memory} back (zeroed here, outside the lock) for a later {@link #take} of its size. */
    public void give(byte[] memory) {
        if (maxIdle == 0 || memory.length == 0) {
            return;
        }
        Arrays.fill(memory, (byte) 0);
        keep(memory);
    }

    private synchronized void keep(byte[] zeroed) {
        for (byte[] held : idle) {
            if (held == zeroed) {
                return;   // given back twice: two heaps must never get it
            }
        }
        idle.addFirst(zeroed);
        while (idle.size() > maxIdle) {
            idle.removeLast();
        }
    }

    /** Makes sure an idle array of {@code bytes} is held, taking it from the host now if none is. */
    public synchronized void reserve(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, not " + bytes);
        }
        if (idleOfSize(bytes) == null && maxIdle > 0) {
            keep(new byte[bytes]);
        }
    }

    /** The most recently given idle array of {@code bytes}, or null; under the lock. */
    private byte[] idleOfSize(int bytes) {
        for (byte[] memory : idle) {
            if (memory.length == bytes) {
                return memory;
            }
        }
        return null;
    }

    /** Idle arrays held now. */
    public synchronized int idleArrays() {
        return idle.size();
    }

    /** {@link #take} calls so far. */
    public synchronized long taken() {
        return taken;
    }

    /** {@link #take} calls that got memory the device already held. */
    public synchronized long reused() {
        return reused;
    }
}
