package org.vheap.device.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.vheap.format.BlobHash;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * A heap store in this process, with the heap server's semantics: for tests, paging benchmarks and
 * {@code --store memory}. Nothing survives the process.
 *
 * <p>Contract (the same as {@code vheap.v1.HeapStore}):
 * <ul>
 *   <li>{@link #openHeap} takes the app's exclusive writer lease. While another device holds an unexpired
 *       lease it fails with {@code LEASE_HELD}; the same device may open again. Every open issues a fencing
 *       token larger than any this store issued before (store-wide), and starts a fresh <em>open epoch</em>
 *       on a committed checkpoint (the newest, or the one named), discarding the previous holder's
 *       uncommitted flushes.</li>
 *   <li>A session's {@link HeapSession#flush flushes} are visible only to its own reads until
 *       {@link HeapSession#commit} publishes them, with the commit's own lines and the VM state, as a new
 *       checkpoint. Calls with a token that is no longer current fail with {@code FENCED} and change
 *       nothing. As on the server, an expired lease keeps working until another device takes it.</li>
 *   <li>The newest {@code retain} checkpoints of each app are kept; any of them can be opened.</li>
 * </ul>
 *
 * <p>Cost: reads and flushes are a hash lookup and a copy per line under the app's monitor (apps do not
 * contend). A commit copies the base checkpoint's line <em>map</em> (references, not bytes), so it costs
 * O(lines in the heap) — cheap for the heaps a device has, but not free for millions of lines. Line bytes
 * are copied in and out, so no caller can change a stored line behind the store's back. Thread-safe.
 */
public final class MemoryHeapStore implements HeapStore {
    /** The server's defaults, so a test on this store sees what a device sees on a server. */
    public static final int DEFAULT_RETAIN = 3;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration MAX_LEASE = StoreLeases.MAX_LEASE;
    private static final int DEFAULT_LINE_SIZE = 4096;
    /** An epoch entry that deletes its line. Compared by identity. */
    private static final byte[] DELETED = new byte[0];

    private final Clock clock;
    private final int retain;
    private final Duration defaultLease;
    private final AtomicLong fencingTokens = new AtomicLong();
    private final AtomicLong checkpointIds = new AtomicLong();
    private final ConcurrentHashMap<String, Heap> heaps = new ConcurrentHashMap<>();
    private final MemorySystemBlobs systemBlobs = new MemorySystemBlobs();

    /** A store on the system clock with the server's defaults (retain 3, 30 s leases). */
    public MemoryHeapStore() {
        this(Clock.systemUTC());
    }

    /** A store whose leases expire by {@code clock}, so tests control time. */
    public MemoryHeapStore(Clock clock) {
        this(clock, DEFAULT_RETAIN, DEFAULT_LEASE);
    }

    /**
     * @param retain       newest checkpoints kept per app ({@link Integer#MAX_VALUE}: keep all)
     * @param defaultLease lease length when an open asks for {@link Duration#ZERO}
     */
    public MemoryHeapStore(Clock clock, int retain, Duration defaultLease) {
        if (clock == null) {
            throw new IllegalArgumentException("clock is null");
        }
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, got " + retain);
        }
        StoreLeases.checkDefault(defaultLease);
        this.clock = clock;
        this.retain = retain;
        this.defaultLease = defaultLease;
    }

    @Override
    public HeapSession openHeap(OpenRequest request) {
        if (request.app().isBlank() || request.device().isBlank()) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "app and device names must not be empty");
        }
        Duration lease = StoreLeases.length(request.lease(), defaultLease);
        Heap heap = request.create()
                ? heaps.computeIfAbsent(request.app(), a -> new Heap(request.lineSize() == 0 ? DEFAULT_LINE_SIZE : request.lineSize()))
                : heaps.get(request.app());
        if (heap == null) {
            throw new StoreException(StoreException.Reason.NOT_FOUND,
                    "no app named '" + request.app() + "' (open it with create to make one)");
        }
        return heap.open(request, lease);
    }

    /** False: its heaps live in this process and end with it. */
    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public SystemBlobStore systemBlobs(String app) {
        return systemBlobs;
    }

    /** Nothing to release: the heaps live as long as this object. */
    @Override
    public void close() {
    }

    /** A committed, immutable checkpoint: every line of the heap at the commit (no deletion markers). */
    private record Checkpoint(long id, Map<Long, byte[]> lines, byte[] vmState) {
    }

    /** One app's heap. Every field is guarded by the heap's monitor. */
    private final class Heap {
        final int lineSize;
        final TreeMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        boolean everOpened;
        String holder;
        long token;
        Instant expiresAt;
        Checkpoint epochBase;
        /** The open epoch: this holder's uncommitted flushes, {@link #DELETED} for a deletion. */
        final HashMap<Long, byte[]> epoch = new HashMap<>();

        Heap(int lineSize) {
            this.lineSize = lineSize;
        }

        synchronized HeapSession open(OpenRequest request, Duration lease) {
            if (request.lineSize() != 0 && request.lineSize() != lineSize) {
                throw new StoreException(StoreException.Reason.CONFLICT, "app '" + request.app() + "' has "
                        + lineSize + "-byte lines, not " + request.lineSize() + " (pass 0 to take the heap's)");
            }
            Instant now = clock.instant();
            StoreLeases.checkFree(request.app(), holder, expiresAt, request.device(), now);
            Checkpoint base = request.baseCheckpointId() == 0
                    ? (checkpoints.isEmpty() ? null : checkpoints.lastEntry().getValue())
                    : checkpoints.get(request.baseCheckpointId());
            if (base == null && request.baseCheckpointId() != 0) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "app '" + request.app()
                        + "' has no checkpoint " + request.baseCheckpointId() + " (retained: " + checkpoints.keySet() + ")");
            }
            boolean created = !everOpened;
            everOpened = true;
            epoch.clear();
            epochBase = base;
            holder = request.device();
            token = fencingTokens.incrementAndGet();
            expiresAt = now.plus(lease);
            return new Session(this, request.app(), request.device(), token, lease, created,
                    base == null ? 0 : base.id(), base == null ? new byte[0] : base.vmState().clone());
        }

        /** Must hold the monitor. Throws FENCED unless {@code t} is the current lease's token. */
        void requireToken(String app, long t) {
            StoreLeases.requireToken(app, holder, token, t);
        }

        /** Must hold the monitor. The line as this holder sees it, or null. */
        byte[] visible(long lineId) {
            byte[] d = epoch.get(lineId);
            if (d == null) {
                return epochBase == null ? null : epochBase.lines().get(lineId);
            }
            return d == DELETED ? null : d;
        }

        /** Must hold the monitor. Checks everything before changing anything, as one transaction. */
        void apply(List<LineImage> writes, long[] deletes) {
            WriteSets.check(lineSize, writes, deletes);
            for (LineImage w : writes) {
                epoch.put(w.lineId(), w.data().clone());
            }
            for (long d : deletes) {
                epoch.put(d, DELETED);
            }
        }

        /** Must hold the monitor. Publishes the open epoch as a new checkpoint and starts the next epoch on it. */
        long commit(byte[] vmState) {
            Map<Long, byte[]> lines = epochBase == null ? new HashMap<>() : new HashMap<>(epochBase.lines());
            for (Map.Entry<Long, byte[]> e : epoch.entrySet()) {
                if (e.getValue() == DELETED) {
                    lines.remove(e.getKey());
                } else {
                    lines.put(e.getKey(), e.getValue());
                }
            }
            Checkpoint cp = new Checkpoint(checkpointIds.incrementAndGet(), lines, vmState.clone());
            checkpoints.put(cp.id(), cp);
            while (checkpoints.size() > retain) {
                checkpoints.pollFirstEntry();
            }
            epoch.clear();
            epochBase = cp;
            return cp.id();
        }
    }

    /** One lease incarnation. Calls lock the app's heap, so a session may be used from any thread. */
    private final class Session extends OpenedSession {
        private final Heap heap;
        private final Duration lease;
        private boolean closed;

        Session(Heap heap, String app, String device, long token, Duration lease, boolean created,
                long baseCheckpointId, byte[] baseVmState) {
            super(app, device, token, heap.lineSize, created, baseCheckpointId, baseVmState);
            this.heap = heap;
            this.lease = lease;
        }

        @Override
        public byte[][] read(long[] lineIds) {
            for (long id : lineIds) {
                WriteSets.checkLineId(id);
            }
            byte[][] result = new byte[lineIds.length][];
            synchronized (heap) {
                heap.requireToken(app, token);
                for (int i = 0; i < lineIds.length; i++) {
                    byte[] d = heap.visible(lineIds[i]);
                    result[i] = d == null ? null : d.clone();
                }
            }
            return result;
        }

        @Override
        public void flush(List<LineImage> writes, long[] deletes) {
            synchronized (heap) {
                heap.requireToken(app, token);
                heap.apply(writes, deletes);
            }
        }

        @Override
        public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
            if (vmState == null) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "a checkpoint needs a VM state (may be empty)");
            }
            synchronized (heap) {
                heap.requireToken(app, token);
                heap.apply(writes, deletes);
                return heap.commit(vmState);
            }
        }

        @Override
        public void renewLease() {
            synchronized (heap) {
                heap.requireToken(app, token);
                heap.expiresAt = clock.instant().plus(lease);
            }
        }

        @Override
        public void close() {
            synchronized (heap) {
                if (closed || heap.holder == null || heap.token != token) {
                    closed = true;
                    return;   // already closed, or fenced: the lease is not ours to release
                }
                closed = true;
                heap.holder = null;
                heap.expiresAt = null;
                heap.epoch.clear();
            }
        }
    }

    /** The system blobs: a content-addressed map, shared by every app of this store. */
    private static final class MemorySystemBlobs implements SystemBlobStore {
        private final ConcurrentHashMap<BlobHash, byte[]> blobs = new ConcurrentHashMap<>();

        @Override
        public int put(Map<BlobHash, byte[]> toStore) {
            SystemBlobStore.checkNames(toStore);
            int stored = 0;
            for (Map.Entry<BlobHash, byte[]> e : toStore.entrySet()) {
                if (blobs.putIfAbsent(e.getKey(), e.getValue().clone()) == null) {
                    stored++;
                }
            }
            return stored;
        }

        @Override
        public Map<BlobHash, byte[]> get(Collection<BlobHash> hashes) {
            Map<BlobHash, byte[]> found = new LinkedHashMap<>();
            for (BlobHash h : hashes) {
                byte[] b = blobs.get(h);
                if (b != null) {
                    found.put(h, b.clone());
                }
            }
            return found;
        }

        @Override
        public List<BlobHash> missing(Collection<BlobHash> hashes) {
            List<BlobHash> missing = new ArrayList<>();
            Set<BlobHash> seen = new HashSet<>();
            for (BlobHash h : hashes) {
                if (seen.add(h) && !blobs.containsKey(h)) {
                    missing.add(h);
                }
            }
            return missing;
        }
    }
}
