package org.vheap.device;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.device.store.DeviceClock;
import org.vheap.store.StoreException;

/**
 * The checkpoints a device committed ahead of the store that keeps the app's history ({@link
 * org.vheap.device.store.HeapSession#commitAhead}: a flash store in front of the heap server): each is durable on the
 * device and waits until the server has it. They are reported in order, once the server has them, on the VM's thread
 * ({@link Checkpointer} asks at each safepoint), with the server's id: the only ids a user resumes from. Several that
 * reached the server as one are reported once, with their lines added up. The VM's thread only, but {@link #behind}.
 */
final class CheckpointsAhead {
    /** Told of each checkpoint the server has, in order. */
    interface Reporter {
        /** {@code covers}: what the newest of the device's checkpoints it holds covers (the app's tickets). */
        void shipped(long checkpointId, int lines, long nanos, String reason, long covers);
    }

    private record Ahead(CompletableFuture<Shipped> shipped, boolean wasAhead, int lines, long takenNanos,
                         long committedNanos, String reason, long covers) {
    }

    /** The server's id for a checkpoint, and when the device heard of it. */
    private record Shipped(long checkpointId, long atNanos) {
    }

    private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();
    private final DeviceClock clock;
    /** {@code ahead}'s size, for other threads. */
    private volatile int behind;

    CheckpointsAhead(DeviceClock clock) {
        this.clock = clock;
    }

    /**
     * A checkpoint of {@code lines} lines, taken at {@code takenNanos} and just committed on the device (perhaps not
     * yet shipped), covering {@code covers}.
     */
    void add(CompletableFuture<Long> shipped, int lines, long takenNanos, String reason, long covers) {
        ahead.add(new Ahead(shipped.thenApply(id -> new Shipped(id, clock.nanoTime())), !shipped.isDone(), lines,
                takenNanos, clock.nanoTime(), reason, covers));
        behind = ahead.size();
    }

    /** Checkpoints the server does not have yet: how far it is behind the device. Any thread. */
    int behind() {
        return behind;
    }

    /**
     * Waits at most {@code nanos} for the server to have every checkpoint (or for one to fail). Returns whether none is
     * left to wait for.
     */
    boolean await(long nanos) {
        Ahead last = ahead.peekLast();
        if (last == null) {
            return true;
        }
        try {
            last.shipped().get(Math.max(0, nanos), TimeUnit.NANOSECONDS);   // they end in order
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;   // report() throws it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted waiting for a checkpoint to reach the heap server", e);
        }
        return true;
    }

    /**
     * Reports the checkpoints the server has, in order. The time reported is the device's (taking and committing the
     * checkpoint); the reason says when the server had it.
     *
     * @throws StoreException the server's failure for the next one (fenced, refused), after reporting those before
     *                        it: the device stops the app
     */
    void report(Reporter reporter) {
        Ahead first = null;
        Ahead last = null;
        Shipped as = null;
        int lines = 0;
        try {
            while (!ahead.isEmpty() && ahead.peek().shipped().isDone()) {
                Shipped s = shipped(ahead.peek().shipped());   // a failed one stays: the app stops with its failure
                Ahead a = ahead.poll();
                behind = ahead.size();
                if (as != null && s.checkpointId() != as.checkpointId()) {
                    Shipped done = as;
                    as = null;   // reported once, even if the reporter throws
                    report(reporter, done, lines, first, last);
                    first = null;
                    lines = 0;
                }
                first = first == null ? a : first;
                last = a;
                as = s;
                lines += a.lines();
            }
        } finally {
            if (as != null) {
                report(reporter, as, lines, first, last);
            }
        }
    }

    /** One checkpoint of the server: the device's checkpoints {@code first} to {@code last} shipped as one. */
    private void report(Reporter reporter, Shipped as, int lines, Ahead first, Ahead last) {
        String reason = first == last ? first.reason() : first.reason() + " and later ones, shipped as one";
        if (last.wasAhead()) {
            reason += String.format(java.util.Locale.ROOT, "; on the server %.1f ms after",
                    (as.atNanos() - last.committedNanos()) / 1e6) + (ahead.isEmpty() ? "" : "; " + ahead.size()
                    + " more to ship");
        }
        reporter.shipped(as.checkpointId(), lines, last.committedNanos() - last.takenNanos(), reason, last.covers());
    }

    /** A shipped checkpoint's id, or its failure thrown. Only for a future that is done. */
    private static Shipped shipped(CompletableFuture<Shipped> done) {
        try {
            return done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new DeviceException("a checkpoint could not reach the heap server: " + e.getCause(), e.getCause());
        }
    }
}
