package org.vheap.device.store.flash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.device.store.DaemonThreads;
import org.vheap.device.store.HeapSession;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Ships the checkpoints a {@link FlashFrontedSession} committed in the flash to the heap server, in the background, in
 * order, each atomically and each as a server checkpoint of its own, on a thread of its own ({@code vheap-ship-APP}).
 *
 * <p>State, guarded by this monitor: {@link #steps}, the flash checkpoints not on the server yet, oldest first, each
 * with the lines it wrote and deleted since the one before and the futures waiting for it; {@link #pending}, the lines
 * of the oldest still to flush; {@link #inFlight}, those flushed to the server since its last commit.
 *
 * <p>One ship takes the oldest step's lines a batch at a time, reads each as that flash checkpoint has it (never the
 * device's flushes since, nor a later checkpoint's) and flushes them to the server, uncommitted there; when none is
 * left, it commits on the server with the step's deletions and VM state, so the server's checkpoint is that flash
 * checkpoint's heap whole. The flash keeps each checkpoint that waits beside those it retains
 * ({@link Flash#keepFrom}), up to {@link FlashStoreConfig#keepUnshipped()} of them and while it has room: a step whose
 * checkpoint the flash let go of is merged into the next one, whose lines and deletions then cover both, and its
 * futures end with the next one's server id.
 *
 * <p>Failures: a retryable one (the server away or busy) puts the batch back and tries again after a pause that doubles
 * from 50 ms to 2 s, until the session closes; any other (fenced: another device took the app; refused) ends every
 * waiting future with it, and every checkpoint after. The heap server fences a device whose lease another took, so a
 * ship never overwrites another device's history; the session stops its own device when the lease may have ended.
 *
 * <p>A session holds a checkpoint back while too many wait for a server that takes calls ({@link #awaitFewerBehind}),
 * so the device never runs far ahead of it; while the server is away the device goes on without it, within its lease.
 */
final class FlashShipper {
    /** The flash under the session: where the lines come from. */
    interface Flash {
        /** Lines as flash checkpoint {@code checkpointId} has them (null for a line it lacks); null when it is gone. */
        byte[][] readCheckpoint(long checkpointId, long[] lineIds);

        /** Keep the checkpoints from {@code checkpointId} on until they are shipped ({@link Long#MAX_VALUE}: none). */
        void keepFrom(long checkpointId);

        /** The checkpoints of {@code session}'s heap in {@code store}. */
        static Flash of(FlashHeapStore store, HeapSession session) {
            return new Flash() {
                @Override
                public byte[][] readCheckpoint(long checkpointId, long[] lineIds) {
                    return store.readCheckpoint(session, checkpointId, lineIds);
                }

                @Override
                public void keepFrom(long checkpointId) {
                    store.keepFrom(session, checkpointId);
                }
            };
        }
    }

    /** Told, before the futures end, that flash checkpoint {@code flashCheckpoint} is the server's checkpoint. */
    interface Listener {
        void shipped(long serverCheckpoint, long flashCheckpoint, byte[] vmState);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FlashShipper.class);
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 2_000;

    /**
     * A flash checkpoint not on the server yet: the lines it wrote and those it deleted since the one before
     * (disjoint), and the futures that end with its server id (those of the steps merged into it first).
     */
    private static final class Step {
        final long flashCheckpoint;
        final byte[] vmState;
        final Map<String, String> metadata;
        final Set<Long> written;
        final Set<Long> deleted;
        final List<CompletableFuture<Long>> futures = new ArrayList<>(1);

        Step(long flashCheckpoint, Collection<Long> written, Collection<Long> deleted, byte[] vmState,
             Map<String, String> metadata) {
            this.flashCheckpoint = flashCheckpoint;
            this.written = new HashSet<>(written);
            this.deleted = new HashSet<>(deleted);
            this.vmState = vmState;
            this.metadata = Map.copyOf(metadata);
        }

        /** Takes in the step before it, whose checkpoint the flash let go of: this step then ships the changes of both. */
        void absorb(Step before) {
            for (long w : before.written) {
                if (!deleted.contains(w)) {
                    written.add(w);
                }
            }
            for (long d : before.deleted) {
                if (!written.contains(d)) {
                    deleted.add(d);
                }
            }
            futures.addAll(0, before.futures);
        }

        /** Whether this step wrote ({@code FALSE}) or deleted ({@code TRUE}) the line; null when it did neither. */
        Boolean deletes(long lineId) {
            return written.contains(lineId) ? Boolean.FALSE : deleted.contains(lineId) ? Boolean.TRUE : null;
        }
    }

    private final HeapSession remote;
    private final Flash flash;
    private final Listener listener;
    /** Lines per server flush: what fits in a store write. */
    private final int batch;
    private final ExecutorService thread;
    private final ArrayDeque<Step> steps = new ArrayDeque<>();
    /** The step whose lines {@link #pending} holds, or null before the oldest step's first batch. */
    private Step started;
    private final Set<Long> pending = new HashSet<>();
    /**
     * Lines taken to flush to the server since its last commit: a server that restarts before the commit has lost
     * them, and a device that stops has not shipped them.
     */
    private final Set<Long> inFlight = new HashSet<>();
    /** The server's newest checkpoint of this session: what {@link #unshipped} is counted from. */
    private long serverBase;
    private StoreException failed;
    /** Whether the server was unreachable at the last call (UNAVAILABLE); false once a call goes through. */
    private boolean away;
    private long linesShipped;
    private long merged;
    private boolean closed;

    FlashShipper(HeapSession remote, Flash flash, Listener listener) {
        this.remote = remote;
        this.flash = flash;
        this.listener = listener;
        this.batch = (int) Math.max(1, PagingConfig.MAX_BATCH_BYTES / remote.lineSize());
        this.serverBase = remote.baseCheckpointId();
        this.thread = DaemonThreads.single("vheap-ship-" + remote.app());
    }

    /**
     * Flash checkpoint {@code flashCheckpoint} was committed, having written {@code written} and deleted
     * {@code deleted} since the one before (disjoint): ships it. The future ends with the server's id for it.
     */
    synchronized CompletableFuture<Long> committed(long flashCheckpoint, Collection<Long> written,
                                                   Collection<Long> deleted, byte[] vmState,
                                                   Map<String, String> metadata) {
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        Step step = new Step(flashCheckpoint, written, deleted, vmState, metadata);
        CompletableFuture<Long> f = new CompletableFuture<>();
        step.futures.add(f);
        steps.add(step);
        if (steps.size() == 1) {
            keepWaiting();   // the first to wait: the flash keeps it (and those after it) from now on
        }
        notifyAll();   // a ship that found the checkpoint before this one gone waits for this one
        try {
            thread.execute(this::ship);
        } catch (RejectedExecutionException closing) {
            fail(new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + remote.app() + "': the session"
                    + " closed before flash checkpoint " + flashCheckpoint + " could be shipped to the heap server"));
        }
        return f;
    }

    /**
     * The lines of the flash's checkpoints that may differ from the server's newest checkpoint of this session (which
     * this returns), with {@code also}: the session's, since its last flash checkpoint.
     */
    synchronized long unshipped(Set<Long> also) {
        for (Step s : steps) {
            also.addAll(s.written);
            also.addAll(s.deleted);
        }
        also.addAll(inFlight);
        return serverBase;
    }

    /** Whether a flash checkpoint deleted this line and the server has not been told yet. */
    synchronized boolean deletedUnshipped(long lineId) {
        for (Iterator<Step> newest = steps.descendingIterator(); newest.hasNext(); ) {
            Boolean deletes = newest.next().deletes(lineId);
            if (deletes != null) {
                return deletes;
            }
        }
        return false;
    }

    /**
     * Waits at most {@code millis} while {@code max} or more flash checkpoints wait for a server that takes calls
     * (while it is away, the device goes on without it). Returns whether it may go on: fewer wait, the server is away,
     * or shipping failed.
     */
    synchronized boolean awaitFewerBehind(int max, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (checkpointsBehind() >= max && !away && failed == null) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }

    /** Flash checkpoints not yet on the server: how far it is behind. */
    synchronized int checkpointsBehind() {
        int behind = 0;
        for (Step s : steps) {
            behind += s.futures.size();
        }
        return behind;
    }

    /** Lines flushed to the server so far. */
    synchronized long linesShipped() {
        return linesShipped;
    }

    /** Flash checkpoints the flash let go of before they were shipped: each reached the server with the next one. */
    synchronized long checkpointsMerged() {
        return merged;
    }

    /** Why shipping stopped for good, or null. */
    synchronized StoreException failed() {
        return failed;
    }

    /**
     * Waits at most {@code millis} for every flash checkpoint committed so far to reach the server. Returns whether
     * they did (false: one failed, or the time ran out).
     */
    boolean drain(long millis) throws InterruptedException {
        CompletableFuture<Long> last;
        synchronized (this) {
            Step s = steps.peekLast();
            if (s == null) {
                return failed == null;
            }
            last = s.futures.get(s.futures.size() - 1);
        }
        try {
            last.get(Math.max(0, millis), TimeUnit.MILLISECONDS);   // they end in order
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Stops shipping (a ship under way is interrupted); the checkpoints still waiting fail. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!steps.isEmpty()) {
                fail(new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + remote.app() + "': the session"
                        + " closed before flash checkpoint " + steps.peekLast().flashCheckpoint + " reached the"
                        + " heap server (the server keeps the checkpoint before it)"));
            }
        }
    }

    /** Ships until nothing waits, pausing while the server is away. Runs on the shipping thread. */
    private void ship() {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                if (shipSome()) {
                    return;
                }
                pause = FIRST_PAUSE_MILLIS;
            } catch (StoreException e) {
                if (!e.reason().retryable()) {
                    synchronized (this) {
                        fail(e);
                    }
                    return;
                }
                if (e.reason() == StoreException.Reason.UNAVAILABLE) {   // not a busy server (throttled, aborted)
                    synchronized (this) {
                        away = true;
                        notifyAll();   // a commit waiting for fewer behind goes on without the server
                    }
                }
                if (!pause(pause)) {
                    return;
                }
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            } catch (RuntimeException e) {
                synchronized (this) {
                    fail(new StoreException(StoreException.Reason.INTERNAL, "app '" + remote.app() + "': shipping a"
                            + " checkpoint to the heap server failed: " + e, e));
                }
                return;
            }
        }
    }

    /** One batch of the oldest step's lines, or its commit when none is left. Returns true when nothing waits. */
    private boolean shipSome() {
        long[] ids;
        Step step;
        synchronized (this) {
            if (failed != null || closed || steps.isEmpty()) {
                return true;
            }
            step = steps.peek();
            if (started != step) {
                started = step;
                pending.clear();
                pending.addAll(step.written);
            }
            ids = pending.stream().mapToLong(Long::longValue).sorted().limit(batch).toArray();
            for (long id : ids) {
                pending.remove(id);
                inFlight.add(id);   // from now on the server may hold it uncommitted (and it is counted unshipped)
            }
        }
        if (ids.length > 0) {
            flushLines(step, ids);
            return false;
        }
        long[] gone = step.deleted.stream().mapToLong(Long::longValue).sorted().toArray();
        long serverCheckpoint = remote.commit(List.of(), gone, step.vmState, step.metadata);
        listener.shipped(serverCheckpoint, step.flashCheckpoint, step.vmState);
        synchronized (this) {
            away = false;
            serverBase = serverCheckpoint;
            inFlight.clear();
            steps.poll();
            started = null;
            step.futures.forEach(f -> f.complete(serverCheckpoint));
            keepWaiting();
            notifyAll();
        }
        return false;
    }

    /**
     * Flushes these lines of {@code step} to the server as its flash checkpoint has them; put back when that fails.
     * When the flash let go of that checkpoint, the step is merged into the next one instead.
     */
    private void flushLines(Step step, long[] ids) {
        try {
            byte[][] images = flash.readCheckpoint(step.flashCheckpoint, ids);
            if (images == null) {
                mergeIntoNext(step, ids);
                return;
            }
            List<LineImage> lines = new ArrayList<>(ids.length);
            List<Long> gone = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (images[i] != null) {
                    lines.add(new LineImage(ids[i], images[i]));
                } else {
                    gone.add(ids[i]);   // a catch-up's line the checkpoint lacks
                }
            }
            remote.flush(lines, gone.stream().mapToLong(Long::longValue).toArray());
        } catch (RuntimeException e) {
            synchronized (this) {
                for (long id : ids) {
                    pending.add(id);
                }
            }
            throw e;
        }
        synchronized (this) {
            away = false;
            linesShipped += ids.length;
        }
    }

    /**
     * The flash let go of {@code step}'s checkpoint before it was shipped: the next step takes in its changes (the lines
     * already flushed for it are flushed again as the next one has them, or deleted by its commit).
     */
    private synchronized void mergeIntoNext(Step step, long[] ids) {
        for (long id : ids) {
            pending.add(id);
        }
        if (steps.peek() != step || steps.size() < 2) {
            waitForNext();   // the flash's newest checkpoint stays kept: the session has not told this shipper yet
            return;
        }
        steps.poll();
        steps.peek().absorb(step);
        started = null;
        merged++;
        LOG.info("app '{}': the flash let go of checkpoint {} before the heap server took it (too many waited, or the"
                + " flash was full); its changes reach the server with flash checkpoint {}", remote.app(),
                step.flashCheckpoint, steps.peek().flashCheckpoint);
        keepWaiting();
    }

    /** Must hold the monitor: shipping stops for good with {@code why}, and every waiting checkpoint fails with it. */
    private void fail(StoreException why) {
        if (failed == null) {
            failed = why;
        }
        while (!steps.isEmpty()) {
            steps.poll().futures.forEach(f -> f.completeExceptionally(failed));
        }
        started = null;
        keepWaiting();
        notifyAll();
    }

    /** Must hold the monitor: the flash keeps the checkpoints from the oldest waiting on, or none when none waits. */
    private void keepWaiting() {
        flash.keepFrom(steps.isEmpty() ? Long.MAX_VALUE : steps.peek().flashCheckpoint);
    }

    /** Must hold the monitor: waits a little for the session to say what it committed. */
    private void waitForNext() {
        try {
            wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Sleeps before the next attempt; false when the shipper was closed meanwhile. */
    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        synchronized (this) {
            return !closed;
        }
    }
}
