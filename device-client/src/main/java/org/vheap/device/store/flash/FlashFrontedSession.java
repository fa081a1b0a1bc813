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
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.WriteSets;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * One app's heap opened through a {@link FlashFrontedStore}: the server's session ({@code remote}: lease, fencing
 * token, base checkpoint, checkpoint ids) with the flash store's session ({@code local}) in front, holding a copy of
 * lines of the heap as this session sees it.
 *
 * <p>Invariant: a line the flash copy holds has the content the server's view would have once this session's writes
 * since its last checkpoint are shipped; a line it lacks is read from the server. {@link #deleted} are the lines
 * deleted since the last checkpoint (the server still has them), {@link #unshipped} those written since.
 *
 * <p>The lease: reads of lines the flash holds and flushes do not reach the server, so the session stops them itself
 * once the server's lease may have ended: when the lease was not granted or renewed for its length (as the server
 * granted it; from a server that does not say, the length asked for, or {@link #UNKNOWN_LEASE} when that was the
 * server's default), timed from before the call that asked, every call fails as fenced (a read or a commit the server
 * answered does not extend the lease),
 * for another device may hold the app by then. A refused call changes nothing: a checkpoint goes to the server first,
 * then to the flash. Calls are serialized on the session.
 */
final class FlashFrontedSession implements HeapSession {
    /** The lease assumed from a server that does not say what it granted when asked for its default: its default. */
    static final Duration UNKNOWN_LEASE = Duration.ofSeconds(30);

    /** Told when a checkpoint reached the server: app, server checkpoint, flash checkpoint, VM state. */
    interface ShippedListener {
        void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState);
    }

    private final HeapSession remote;
    private final HeapSession local;
    private final ShippedListener listener;
    /** The lease's length when the server does not say what it granted: what was asked for, else the default's. */
    private final Duration leaseAsked;
    private final Clock clock;
    /** Lines read from flash and shipped per server flush: what fits in a store write. */
    private final int shipBatch;
    private final Set<Long> unshipped = new HashSet<>();
    private final Set<Long> deleted = new HashSet<>();
    /** Whether the flash copy was the server's checkpoint when opened (else it was dropped). */
    private final boolean copyWasCurrent;
    /** Before the server last granted or renewed the lease: it lasts at least until then plus its length. */
    private Instant leaseFrom;
    private long linesShipped;

    FlashFrontedSession(HeapSession remote, HeapSession local, boolean copyWasCurrent, Duration leaseAsked,
                        Instant leaseFrom, Clock clock, ShippedListener listener) {
        this.remote = remote;
        this.local = local;
        this.copyWasCurrent = copyWasCurrent;
        this.leaseAsked = leaseAsked;
        this.clock = clock;
        this.listener = listener;
        this.shipBatch = (int) Math.max(1, PagingConfig.MAX_BATCH_BYTES / remote.lineSize());
        this.leaseFrom = leaseFrom;
    }

    @Override public String app() { return remote.app(); }
    @Override public int lineSize() { return remote.lineSize(); }
    @Override public boolean created() { return remote.created(); }
    @Override public long baseCheckpointId() { return remote.baseCheckpointId(); }
    @Override public byte[] baseVmState() { return remote.baseVmState(); }
    @Override public long fencingToken() { return remote.fencingToken(); }

    /** Whether the flash copy was used as it was when opened, rather than dropped for the server's heap. */
    boolean copyWasCurrent() {
        return copyWasCurrent;
    }

    /** Lines this session shipped to the server with its checkpoints. */
    synchronized long linesShipped() {
        return linesShipped;
    }

    @Override
    public synchronized byte[][] read(long[] lineIds) {
        withinLease();
        byte[][] lines = local.read(lineIds);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < lineIds.length; i++) {
            if (deleted.contains(lineIds[i])) {
                lines[i] = null;
            } else if (lines[i] == null) {
                missing.add(i);
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
        withinLease();
        local.flush(writes, deletes);   // checks them: nothing is noted of a refused flush
        noteWritten(writes, deletes);
    }

    /**
     * Ships the lines written since the last checkpoint (each once, however often it was flushed), commits on the
     * server, then commits in the flash and records that the two are the same checkpoint. Returns the server's id.
     */
    @Override
    public synchronized long commit(List<LineImage> writes, long[] deletes, byte[] vmState,
                                    Map<String, String> metadata) {
        withinLease();
        if (vmState == null || metadata == null) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "a checkpoint needs a VM state (may be"
                    + " empty) and metadata (may be empty)");
        }
        WriteSets.check(lineSize(), writes, deletes);
        Set<Long> ship = new HashSet<>(unshipped);
        Set<Long> gone = new HashSet<>(deleted);
        for (LineImage w : writes) {
            ship.remove(w.lineId());   // travels with the commit itself
            gone.remove(w.lineId());
        }
        for (long d : deletes) {
            gone.add(d);
            ship.remove(d);
        }
        long[] ids = ship.stream().mapToLong(Long::longValue).sorted().toArray();
        for (int from = 0; from < ids.length; from += shipBatch) {
            long[] batch = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + shipBatch));
            byte[][] images = local.read(batch);
            List<LineImage> lines = new ArrayList<>(batch.length);
            for (int i = 0; i < batch.length; i++) {
                lines.add(new LineImage(batch[i], images[i]));
            }
            remote.flush(lines, new long[0]);
        }
        long serverCheckpoint = remote.commit(writes, gone.stream().mapToLong(Long::longValue).sorted().toArray(),
                vmState, metadata);
        linesShipped += ids.length + writes.size();
        unshipped.clear();
        deleted.clear();
        long flashCheckpoint = local.commit(writes, deletes, vmState, Map.of());
        listener.shipped(app(), serverCheckpoint, flashCheckpoint, vmState);
        return serverCheckpoint;
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

    /** Fails as fenced once the server's lease may have ended unrenewed: another device may hold the app. */
    private void withinLease() {
        Instant now = clock.instant();
        Duration lease = leaseGranted();
        if (now.isAfter(leaseFrom.plus(lease))) {
            throw new StoreException(StoreException.Reason.FENCED, "app '" + app() + "' was taken over by another"
                    + " device or its lease ended: the heap server last granted or renewed it " + Duration.between(
                    leaseFrom, now).toSeconds() + " s ago, past the " + lease.toSeconds() + " s lease; the flash copy"
                    + " serves this device no longer");
        }
    }

    /** The server's lease as it granted it, or as this session takes it when the server does not say. */
    @Override
    public Duration leaseGranted() {
        return remote.leaseGranted().isZero() ? leaseAsked : remote.leaseGranted();
    }

    @Override
    public synchronized void renewLease() {
        withinLease();
        Instant asked = clock.instant();
        remote.renewLease();
        leaseFrom = asked;
        local.renewLease();
    }

    @Override
    public synchronized void close() {
        try {
            remote.close();
        } finally {
            local.close();
        }
    }
}
