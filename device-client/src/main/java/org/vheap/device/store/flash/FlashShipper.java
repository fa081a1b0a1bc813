package org.vheap.device.store.flash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.vheap.device.store.HeapSession;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Ships the checkpoints a {@link FlashFrontedSession} committed in the flash to the heap server, in the background, in
 * order, each atomically, on a thread of its own ({@code vheap-ship-APP}).
 *
 * <p>State, guarded by this monitor: {@link #pending}, the lines the flash's checkpoints changed that the server
 * does not have yet; {@link #pendingDeletes}, those they deleted; {@link #inFlight}, those flushed to the server since
 * its last commit; the <em>target</em>, the flash's newest checkpoint (its id, VM state and metadata); and
 * {@link #waiting}, the futures of the flash checkpoints not yet on the server.
 *
 * <p>One ship takes pending lines a batch at a time, reads each as the flash's newest checkpoint has it (never the
 * device's flushes since) and flushes them to the server, uncommitted there; when nothing is pending, it commits on the
 * server with the deletions and the target's VM state. A flash checkpoint committed meanwhile puts the lines it changed
 * back in {@link #pending} and becomes the target, so the server's commit always publishes one flash checkpoint's heap
 * whole (never a target older than a checkpoint lines were read from): when the device checkpoints faster than the
 * server takes them, several flash checkpoints reach the server as one (the newest), and their futures all end with
 * its id.
 *
 * <p>Failures: a retryable one (the server away or busy) puts the batch back and tries again after a pause that doubles
 * from 50 ms to 2 s, until the session closes; any other (fenced: another device took the app; refused) ends every
 * waiting future with it, and every checkpoint after. The heap server fences a device whose lease another took, so a
 * ship never overwrites another device's history; the session stops its own device when the lease may have ended.
 *
 * <p>Chasing the newest flash checkpoint, a ship could go on forever while the device changes lines faster than the
 * server takes them: so a session holds a checkpoint back while too many wait for a server that takes calls
 * ({@link #awaitFewerBehind}); while the server is away the device goes on without it, within its lease.
 */
final class FlashShipper {
    /** Where the lines come from: the flash's newest checkpoint, with its id. */
    interface Flash {
        FlashHeapStore.Committed readCommitted(long[] lineIds);
    }

    /** Told, before the futures end, that flash checkpoint {@code flashCheckpoint} is the server's checkpoint. */
    interface Listener {
        void shipped(long serverCheckpoint, long flashCheckpoint, byte[] vmState);
    }

    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 2_000;

    private record Target(long flashCheckpoint, byte[] vmState, Map<String, String> metadata) {
    }

    private record Waiting(long flashCheckpoint, CompletableFuture<Long> future) {
    }

    private final HeapSession remote;
    private final Flash flash;
    private final Listener listener;
    /** Lines per server flush: what fits in a store write. */
    private final int batch;
    private final ExecutorService thread;
    private final Set<Long> pending = new HashSet<>();
    /** Each pending deletion with the count of changes when it was made: a commit clears only those it shipped. */
    private final Map<Long, Long> pendingDeletes = new HashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /**
     * Lines taken to flush to the server since its last commit: a server that restarts before the commit has lost
     * them, and a device that stops has not shipped them.
     */
    private final Set<Long> inFlight = new HashSet<>();
    /** The server's newest checkpoint of this session: what {@link #unshipped} is counted from. */
    private long serverBase;
    private long changes;
    private Target target;
    /** The newest flash checkpoint lines were read from: the server commits no older target. */
    private long readFrom;
    private StoreException failed;
    /** Whether the server was unreachable at the last call (UNAVAILABLE); false once a call goes through. */
    private boolean away;
    private long linesShipped;
    private boolean closed;

    FlashShipper(HeapSession remote, Flash flash, Listener listener) {
        this.remote = remote;
        this.flash = flash;
        this.listener = listener;
        this.batch = (int) Math.max(1, PagingConfig.MAX_BATCH_BYTES / remote.lineSize());
        this.serverBase = remote.baseCheckpointId();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vheap-ship-" + remote.app());
            t.setDaemon(true);
            return t;
        });
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
        for (long w : written) {
            pending.add(w);
            pendingDeletes.remove(w);
        }
        for (long d : deleted) {
            pending.remove(d);
            pendingDeletes.put(d, ++changes);
        }
        target = new Target(flashCheckpoint, vmState, Map.copyOf(metadata));
        notifyAll();   // a ship that read lines of this checkpoint before it was told of it waits for it
        CompletableFuture<Long> f = new CompletableFuture<>();
        waiting.add(new Waiting(flashCheckpoint, f));
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
        also.addAll(pending);
        also.addAll(pendingDeletes.keySet());
        also.addAll(inFlight);
        return serverBase;
    }

    /** Whether a flash checkpoint deleted this line and the server has not been told yet. */
    synchronized boolean deletedUnshipped(long lineId) {
        return pendingDeletes.containsKey(lineId);
    }

    /**
     * Waits at most {@code millis} while {@code max} or more flash checkpoints wait for a server that takes calls
     * (while it is away, the device goes on without it). Returns whether it may go on: fewer wait, the server is away,
     * or shipping failed.
     */
    synchronized boolean awaitFewerBehind(int max, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (waiting.size() >= max && !away && failed == null) {
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
        return waiting.size();
    }

    /** Lines flushed to the server so far. */
    synchronized long linesShipped() {
        return linesShipped;
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
            Waiting w = waiting.peekLast();
            if (w == null) {
                return failed == null;
            }
            last = w.future();
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
            if (!waiting.isEmpty()) {
                fail(new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + remote.app() + "': the session"
                        + " closed before flash checkpoint " + waiting.peekLast().flashCheckpoint() + " reached the"
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

    /** One batch of lines, or the commit when none is pending. Returns true when nothing is left to ship. */
    private boolean shipSome() {
        long[] ids;
        Target t;
        Map<Long, Long> deletes;
        synchronized (this) {
            if (failed != null || closed || waiting.isEmpty()) {
                return true;
            }
            ids = pending.stream().mapToLong(Long::longValue).sorted().limit(batch).toArray();
            for (long id : ids) {
                pending.remove(id);
                inFlight.add(id);   // from now on the server may hold it uncommitted (and it is counted unshipped)
            }
            t = target;
            deletes = ids.length == 0 ? new HashMap<>(pendingDeletes) : Map.of();
            if (ids.length == 0 && readFrom > t.flashCheckpoint()) {
                waitForTarget();   // the session committed in the flash and has not told this shipper yet
                return false;
            }
        }
        if (ids.length > 0) {
            flushLines(ids);
            return false;
        }
        long[] gone = deletes.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        long serverCheckpoint = remote.commit(List.of(), gone, t.vmState(), t.metadata());
        listener.shipped(serverCheckpoint, t.flashCheckpoint(), t.vmState());
        synchronized (this) {
            away = false;
            serverBase = serverCheckpoint;
            inFlight.clear();
            deletes.forEach(pendingDeletes::remove);   // (line, change): not one deleted again since
            while (!waiting.isEmpty() && waiting.peek().flashCheckpoint() <= t.flashCheckpoint()) {
                waiting.poll().future().complete(serverCheckpoint);
            }
            notifyAll();
        }
        return false;
    }

    /** Flushes these lines to the server as the flash's newest checkpoint has them; put back when that fails. */
    private void flushLines(long[] ids) {
        try {
            FlashHeapStore.Committed read = flash.readCommitted(ids);
            byte[][] images = read.lines();
            synchronized (this) {
                readFrom = Math.max(readFrom, read.checkpointId());
            }
            List<LineImage> lines = new ArrayList<>(ids.length);
            List<Long> gone = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (images[i] != null) {
                    lines.add(new LineImage(ids[i], images[i]));
                } else {
                    gone.add(ids[i]);   // deleted by a checkpoint since it was written
                }
            }
            remote.flush(lines, gone.stream().mapToLong(Long::longValue).toArray());
        } catch (RuntimeException e) {
            synchronized (this) {
                for (long id : ids) {
                    if (!pendingDeletes.containsKey(id)) {
                        pending.add(id);
                    }
                }
            }
            throw e;
        }
        synchronized (this) {
            away = false;
            linesShipped += ids.length;
        }
    }

    /** Must hold the monitor: shipping stops for good with {@code why}, and every waiting checkpoint fails with it. */
    private void fail(StoreException why) {
        if (failed == null) {
            failed = why;
        }
        while (!waiting.isEmpty()) {
            waiting.poll().future().completeExceptionally(failed);
        }
        notifyAll();
    }

    /** Must hold the monitor: waits a little for the session to say what it committed. */
    private void waitForTarget() {
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
