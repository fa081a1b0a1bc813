package org.vheap.device.store.flash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.WriteSets;
import org.vheap.store.LineImage;

/**
 * One app's heap opened through a {@link FlashFrontedStore}: the server's session ({@code remote}: lease, fencing
 * token, base checkpoint, checkpoint ids) with the flash store's session ({@code local}) in front, holding a copy of
 * lines of the heap as this session sees it.
 *
 * <p>Invariant: a line the flash copy holds has the content the server's view would have once this session's
 * writes since its last checkpoint are shipped; a line it lacks is read from the server. {@link #deleted} are the lines
 * deleted since the last shipped checkpoint (the server still has them), {@link #unshipped} those written since.
 * Every call goes to the flash session first, so a session fenced in flash (its app opened again in this process)
 * fails before it serves anything. Calls are serialized on the session.
 */
final class FlashFrontedSession implements HeapSession {
    /** Lines read from flash and shipped per server flush. */
    private static final int SHIP_BATCH = 256;

    /** Told when a checkpoint reached the server: app, server checkpoint, flash checkpoint, VM state. */
    interface ShippedListener {
        void shipped(String app, long serverCheckpoint, long flashCheckpoint, byte[] vmState);
    }

    private final HeapSession remote;
    private final HeapSession local;
    private final ShippedListener listener;
    private final Set<Long> unshipped = new HashSet<>();
    private final Set<Long> deleted = new HashSet<>();
    /** Whether the flash copy was the server's newest checkpoint when opened (else it was dropped). */
    private final boolean copyWasCurrent;
    private long linesFromServer;
    private long linesShipped;

    FlashFrontedSession(HeapSession remote, HeapSession local, boolean copyWasCurrent, ShippedListener listener) {
        this.remote = remote;
        this.local = local;
        this.copyWasCurrent = copyWasCurrent;
        this.listener = listener;
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

    /** Lines this session read from the server (the flash copy lacked them). */
    synchronized long linesFromServer() {
        return linesFromServer;
    }

    /** Lines this session shipped to the server with its checkpoints. */
    synchronized long linesShipped() {
        return linesShipped;
    }

    @Override
    public synchronized byte[][] read(long[] lineIds) {
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
        Map<Long, LineImage> kept = new java.util.LinkedHashMap<>();   // a line asked for twice is kept once
        for (int k = 0; k < ids.length; k++) {
            lines[missing.get(k)] = fetched[k];
            if (fetched[k] != null) {
                kept.putIfAbsent(ids[k], new LineImage(ids[k], fetched[k]));
            }
        }
        linesFromServer += ids.length;
        if (!kept.isEmpty()) {
            local.flush(List.copyOf(kept.values()), new long[0]);   // the next fault on them is served from flash
        }
        return lines;
    }

    @Override
    public synchronized void flush(List<LineImage> writes, long[] deletes) {
        local.flush(writes, deletes);   // checks them: nothing is noted of a refused flush
        noteWritten(writes, deletes);
    }

    @Override
    public synchronized long commit(List<LineImage> writes, long[] deletes, byte[] vmState,
                                    Map<String, String> metadata) {
        long flashCheckpoint = local.commit(writes, deletes, vmState, Map.of());
        noteWritten(writes, deletes);
        long[] ship = unshipped.stream().mapToLong(Long::longValue).sorted().toArray();
        List<LineImage> last = List.of();
        for (int from = 0; from < ship.length; from += SHIP_BATCH) {
            long[] batch = Arrays.copyOfRange(ship, from, Math.min(ship.length, from + SHIP_BATCH));
            byte[][] images = local.read(batch);
            List<LineImage> lines = new ArrayList<>(batch.length);
            for (int i = 0; i < batch.length; i++) {
                lines.add(new LineImage(batch[i], images[i]));
            }
            if (from + SHIP_BATCH < ship.length) {
                remote.flush(lines, new long[0]);
            } else {
                last = lines;
            }
        }
        long[] gone = deleted.stream().mapToLong(Long::longValue).sorted().toArray();
        long serverCheckpoint = remote.commit(last, gone, vmState, metadata);
        linesShipped += ship.length;
        unshipped.clear();
        deleted.clear();
        listener.shipped(app(), serverCheckpoint, flashCheckpoint, vmState);
        return serverCheckpoint;
    }

    private void noteWritten(List<LineImage> writes, long[] deletes) {
        for (LineImage w : writes) {
            unshipped.add(w.lineId());
            deleted.remove(w.lineId());
        }
        for (long d : deletes) {
            WriteSets.checkLineId(d);
            deleted.add(d);
            unshipped.remove(d);
        }
    }

    @Override
    public synchronized void renewLease() {
        remote.renewLease();
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
