package org.vheap.device.store.flash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.WriteSets;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * One app's heap opened through a {@link FlashFrontedStore}: the server's session ({@code remote}: lease, fencing
 * token, base checkpoint, checkpoint ids) with the flash store's session ({@code local}) in front, holding a copy of
 * lines of the heap as this session sees it.
 *
 * <p>Invariant: a line the flash copy holds has the content the server's view would have once this session's writes
 * are shipped; a line it lacks is read from the server, unless this session deleted it. {@link #unshipped} are the
 * lines written since the last flash checkpoint, {@link #deleted} those deleted since; the {@link FlashShipper} keeps
 * those of the flash checkpoints the server does not have yet.
 *
 * <p>A checkpoint commits in the flash, durable there when {@link #commitAhead} returns, and reaches the server in
 * the background ({@link FlashShipper}); {@link #commit} waits for it. A checkpoint the flash refuses changes nothing,
 * and so does one held back while {@link #MAX_BEHIND} wait for a server that takes calls. One the server then fences
 * or refuses stays in the flash only and fails the checkpoints after it; the next open ships it if no other device
 * went on, else drops it (the server's history wins).
 *
 * <p>The lease ({@link FlashLease}): once the server's lease may have ended unrenewed, every call fails as fenced, for
 * another device may hold the app by then. Calls are serialized on the session; shipping, renewals (which never take
 * the session's monitor) and a checkpoint's wait for a server far behind run beside them.
 */
final class FlashFrontedSession implements HeapSession {
    /** The lease assumed from a server that does not say what it granted when asked for its default: its default. */
    static final Duration UNKNOWN_LEASE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(FlashFrontedSession.class);
    /**
     * A checkpoint waits while this many wait for a server that takes calls: that far behind at most, unless the
     * server is unreachable (the device then goes on within its lease).
     */
    static final int MAX_BEHIND = 4;

    /** Told what reached the server and what has not ({@link FlashShipped}'s two records). */
    interface ShippedListener {
        /** A checkpoint reached the server: app, server checkpoint, flash checkpoint, VM state. */
        void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState);

        /** After each flash checkpoint: the lines that may differ between it and the server's checkpoint. */
        void unshipped(String app, long serverBase, long flashCheckpoint, long[] lines);
    }

    private final HeapSession remote;
    private final HeapSession local;
    private final FlashShipper shipper;
    private final ShippedListener listener;
    private final FlashLease lease;
    private final Set<Long> unshipped = new HashSet<>();
    private final Set<Long> deleted = new HashSet<>();
    /** Whether the flash copy was the server's checkpoint when opened (else it was dropped). */
    private final boolean copyWasCurrent;
    /** The checkpoint the session started from: the server's, or the one it shipped when opened ({@link #catchUp}). */
    private long base;
    private byte[] baseVmState;

    /**
     * @param renewInBackground whether a thread of its {@link FlashLease} renews the server's lease at a third of its
     *                          length, so a device that makes no call for a while (booting, a long collection) keeps
     *                          it; else only {@link #renewLease} does (tests that move the clock by hand)
     */
    FlashFrontedSession(HeapSession remote, HeapSession local, boolean copyWasCurrent, Duration leaseAsked,
                        Instant leaseFrom, Clock clock, FlashShipper.Flash flash, ShippedListener listener,
                        boolean renewInBackground) {
        this.remote = remote;
        this.local = local;
        this.copyWasCurrent = copyWasCurrent;
        this.listener = listener;
        this.shipper = new FlashShipper(remote, flash, (server, flashCheckpoint, vmState) ->
                listener.shipped(remote.app(), server, flashCheckpoint, vmState));
        this.base = remote.baseCheckpointId();
        this.baseVmState = remote.baseVmState();
        this.lease = new FlashLease(remote, local, leaseAsked, leaseFrom, clock);
        if (renewInBackground) {
            lease.renewInBackground();
        }
    }

    @Override public String app() { return remote.app(); }
    @Override public int lineSize() { return remote.lineSize(); }
    @Override public boolean created() { return remote.created(); }
    @Override public synchronized long baseCheckpointId() { return base; }
    @Override public synchronized byte[] baseVmState() { return baseVmState; }
    @Override public long fencingToken() { return remote.fencingToken(); }

    /** Whether the flash copy was used as it was when opened, rather than dropped for the server's heap. */
    boolean copyWasCurrent() {
        return copyWasCurrent;
    }

    /** Lines this session shipped to the server with its checkpoints. */
    long linesShipped() {
        return shipper.linesShipped();
    }

    /** Flash checkpoints the flash let go of before the server took them: each reached it with the next one. */
    long checkpointsMerged() {
        return shipper.checkpointsMerged();
    }

    @Override
    public synchronized byte[][] read(long[] lineIds) {
        lease.requireHeld();
        byte[][] lines = local.read(lineIds);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < lineIds.length; i++) {
            if (lines[i] == null && !deleted.contains(lineIds[i]) && !shipper.deletedUnshipped(lineIds[i])) {
                missing.add(i);   // the flash has no copy of it, and no checkpoint of this session deleted it
            }
        }
        if (missing.isEmpty()) {
            return lines;
        }
        long[] ids = missing.stream().mapToLong(i -> lineIds[i]).toArray();
        byte[][] fetched = remote.read(ids);
        Map<Long, LineImage> kept = new LinkedHashMap<>();   // a line asked for twice is kept once
        for (int k = 0; k < ids.length; k++) {
            lines[missing.get(k)] = fetched[k];
            if (fetched[k] != null) {
                kept.putIfAbsent(ids[k], new LineImage(ids[k], fetched[k]));
            }
        }
        keep(List.copyOf(kept.values()));
        return lines;
    }

    /** Keeps lines read from the server in flash for the next fault, if the flash has room (else they are read again). */
    private void keep(List<LineImage> lines) {
        if (lines.isEmpty()) {
            return;
        }
        try {
            local.flush(lines, new long[0]);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.UNAVAILABLE) {   // the flash is full: refused, nothing written
                throw e;
            }
        }
    }

    @Override
    public synchronized void flush(List<LineImage> writes, long[] deletes) {
        lease.requireHeld();
        local.flush(writes, deletes);   // checks them: nothing is noted of a refused flush
        noteWritten(writes, deletes);
    }

    /**
     * Commits in the flash (durable there when this returns) and hands the checkpoint to the {@link FlashShipper}: the
     * future ends with the server's id once it has it (a later flash checkpoint's, when the flash let go of this one
     * before the server took it).
     */
    @Override
    public CompletableFuture<Long> commitAhead(List<LineImage> writes, long[] deletes, byte[] vmState,
                                               Map<String, String> metadata) {
        lease.requireHeld();
        if (vmState == null || metadata == null) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "a checkpoint needs a VM state (may be"
                    + " empty) and metadata (may be empty)");
        }
        WriteSets.check(lineSize(), writes, deletes);
        holdBackWhileFarBehind();   // not holding the session: faults from the flash go on meanwhile
        return commitInFlash(writes, deletes, vmState, metadata);
    }

    /** Waits (at most a second) while {@link #MAX_BEHIND} checkpoints wait for a server that takes calls. */
    private void holdBackWhileFarBehind() {
        try {
            if (!shipper.awaitFewerBehind(MAX_BEHIND, Math.min(1_000, Math.max(0, lease.left())))) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + app() + "': the heap server is "
                        + shipper.checkpointsBehind() + " checkpoints behind this device; this one waits until it"
                        + " takes them (nothing was committed)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + app() + "': interrupted while the"
                    + " heap server took the checkpoints before this one (nothing was committed)", e);
        }
    }

    private synchronized CompletableFuture<Long> commitInFlash(List<LineImage> writes, long[] deletes, byte[] vmState,
                                                             Map<String, String> metadata) {
        lease.requireHeld();
        StoreException failed = shipper.failed();
        if (failed != null) {
            throw failed;   // the server fenced or refused an earlier checkpoint: this one would not reach it either
        }
        long flashCheckpoint = local.commit(writes, deletes, vmState, Map.of());
        noteWritten(writes, deletes);
        Set<Long> differ = new HashSet<>(unshipped);
        differ.addAll(deleted);
        long serverBase = shipper.unshipped(differ);
        listener.unshipped(app(), serverBase, flashCheckpoint, differ.stream().mapToLong(Long::longValue).toArray());
        CompletableFuture<Long> shipped = shipper.committed(flashCheckpoint, Set.copyOf(unshipped),
                Set.copyOf(deleted), vmState, metadata);
        unshipped.clear();
        deleted.clear();
        return shipped;
    }

    /** Commits in the flash and waits until the server has the checkpoint ({@link #commitAhead}). */
    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        return shipped(commitAhead(writes, deletes, vmState, metadata));
    }

    /**
     * Ships flash checkpoint {@code unshipped.upTo()} (with this VM state), which a device that died or lost the
     * server committed and did not ship, and goes on from it: when this returns, the server has it as its newest
     * checkpoint and this session's base is that.
     */
    void catchUp(FlashUnshipped.Lines unshipped, byte[] vmState, Map<String, String> metadata) {
        List<Long> lines = Arrays.stream(unshipped.lines()).boxed().toList();
        long id = shipped(shipper.committed(unshipped.upTo(), lines, List.of(), vmState, metadata));
        synchronized (this) {
            base = id;
            baseVmState = vmState;
        }
    }

    /**
     * The server's id for a shipped checkpoint, once it has it; its failure as thrown. Waits while the lease lasts,
     * which the session's renewals may extend meanwhile.
     */
    private long shipped(CompletableFuture<Long> shipped) {
        try {
            while (true) {
                long left = lease.left();
                if (left <= 0) {
                    throw new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + app() + "': the heap"
                            + " server did not take the checkpoint while the lease lasted; it is committed in the flash,"
                            + " and " + shipper.checkpointsBehind() + " checkpoint(s) wait to be shipped");
                }
                try {
                    return shipped.get(Math.min(left, 1_000), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // the lease may have been renewed meanwhile: look again
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(StoreException.Reason.INTERNAL, "app '" + app() + "': " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "app '" + app() + "': interrupted while its"
                    + " checkpoint was shipped to the heap server (it is committed in the flash)", e);
        }
    }

    /** Flash checkpoints not yet on the server. */
    int checkpointsBehind() {
        return shipper.checkpointsBehind();
    }

    private void noteWritten(List<LineImage> writes, long[] deletes) {
        for (LineImage w : writes) {
            unshipped.add(w.lineId());
            deleted.remove(w.lineId());
        }
        for (long d : deletes) {
            deleted.add(d);
            unshipped.remove(d);
        }
    }

    /** The server's lease as it granted it, or as this session takes it when the server does not say. */
    @Override
    public Duration leaseGranted() {
        return lease.granted();
    }

    /** Never holds the session: a renewal waits neither for a server away nor for a fault or a checkpoint. */
    @Override
    public void renewLease() {
        lease.renew();
    }

    /**
     * Waits for the flash checkpoints not yet on the server while the lease lasts, then releases the server's lease
     * and the flash's. Those that did not reach it stay in the flash only: the next open ships them if no other device
     * went on, else drops them (logged).
     */
    @Override
    public synchronized void close() {
        lease.close();
        try {
            boolean shipped;
            try {
                shipped = shipper.drain(lease.left());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shipped = false;
            }
            int behind = shipper.checkpointsBehind();
            shipper.close();
            if (!shipped && behind > 0) {
                StoreException why = shipper.failed();
                LOG.warn("app '{}': {} checkpoint(s) committed in the flash did not reach the heap server before the"
                        + " session closed ({}); the next open ships them unless another device went on", app(), behind,
                        why == null ? "the lease ran out" : why.getMessage());
            }
            remote.close();
        } finally {
            local.close();
        }
    }
}
