package org.vheap.device.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The device's session layer: the one {@link HeapSession} a device's paging ({@code PagedHeap}) and checkpoints
 * ({@code Checkpointer}) talk to, over the store's own session ({@link GrpcHeapStore}'s or
 * {@link MemoryHeapStore}'s). Built by {@link DeviceSessions#open}. It does two jobs, and only these:
 *
 * <ol>
 *   <li><b>Writes in order, on a writer thread.</b> Flushes and commits run one at a time, in the order they
 *       were asked for, on one thread of their own ({@code vheap-writer-APP}). So a device can pre-flush dirty
 *       lines in the background ({@link #flushInBackground}) while the VM goes on, and a later flush or
 *       checkpoint of the same lines can never be overtaken by the older background write. A synchronous
 *       {@link #flush} or {@link #commit} waits for its turn (after every background write asked for before
 *       it). Reads and lease renewals go straight to the store's session on the caller's thread: a line in a
 *       background write is still resident on the device, so it is not read from the store meanwhile.</li>
 *   <li><b>Line copies: the versioned delta.</b> With a {@link LineCache} (a device process's copies of the
 *       lines of the apps it ran), every line read or written is remembered there, and every read sends the
 *       SHA-256 of the copies it has: the store answers {@link #UNCHANGED} for a line that still has that
 *       hash, and the copy is used — so when an app returns to this device, only the lines changed elsewhere
 *       travel. A copy is never trusted without that check. Without a line cache, reads pass through.</li>
 * </ol>
 *
 * <p>It counts what the reads moved: {@link #bytesFetched()} (line bytes received from the store) and
 * {@link #linesUnchanged()} (lines served from copies).
 *
 * <p>Risks: {@link #close()} lets queued writes finish for at most 30 s, then releases the lease; a write
 * still queued after that is lost as uncommitted flushes are (the last checkpoint stays whole). The counters
 * are kept by the reading thread (the VM's); read them after the run.
 */
public final class DeviceSession implements HeapSession {
    private final HeapSession store;
    private final LineCache copies;
    private final ExecutorService writer;
    private long bytesFetched;
    private long linesUnchanged;
    private long linesPatched;
    private long bytesChanged;
    /** Told as writes pass their points: the crash tests' probe; by default nothing. */
    private volatile SessionProbe probe = SessionProbe.NONE;

    /**
     * @param store  the store's session for the app (closed with this one)
     * @param copies the device's line copies, or null for none
     */
    DeviceSession(HeapSession store, LineCache copies) {
        this.store = Objects.requireNonNull(store, "store");
        this.copies = copies;
        if (copies != null && copies.keepsCopies()) {
            store.pinCheckpointsForCopies();   // the versions behind the copies stay, for patches against them
        }
        String app = store.app();
        this.writer = DaemonThreads.single("vheap-writer-" + app);
    }

    @Override
    public String app() {
        return store.app();
    }

    @Override
    public int lineSize() {
        return store.lineSize();
    }

    @Override
    public boolean created() {
        return store.created();
    }

    @Override
    public long baseCheckpointId() {
        return store.baseCheckpointId();
    }

    @Override
    public byte[] baseVmState() {
        return store.baseVmState();
    }

    @Override
    public long fencingToken() {
        return store.fencingToken();
    }

    // ---------------------------------------------------------------------------------------------------
    // Reads: with the hashes of the copies (the versioned delta)

    @Override
    public byte[][] read(long[] lineIds) {
        if (copies == null) {
            byte[][] result = store.read(lineIds);
            for (byte[] line : result) {
                if (line != null) {
                    bytesFetched += line.length;
                    bytesChanged += line.length;
                }
            }
            return result;
        }
        byte[][] known = new byte[lineIds.length][];
        byte[][] data = new byte[lineIds.length][];
        LineCache.Copy[] held = new LineCache.Copy[lineIds.length];
        for (int i = 0; i < lineIds.length; i++) {
            held[i] = copies.get(app(), lineIds[i]);
            known[i] = held[i] == null ? null : held[i].sha256();
            data[i] = held[i] == null ? null : held[i].data();
        }
        Fetched fetched = store.readAgainst(lineIds, data, known);
        byte[][] result = fetched.lines();
        bytesFetched += fetched.bytesReceived();
        linesPatched += fetched.linesPatched();
        for (int i = 0; i < lineIds.length; i++) {
            if (result[i] == UNCHANGED) {
                result[i] = held[i].data().clone();
                linesUnchanged++;
            } else if (result[i] == null) {
                copies.remove(app(), lineIds[i]);
            } else {
                bytesChanged += held[i] == null ? result[i].length : differing(held[i].data(), result[i]);
                copies.put(app(), lineIds[i], result[i]);
            }
        }
        return result;
    }

    /** Bytes at which two lines differ. */
    private static long differing(byte[] a, byte[] b) {
        long n = Math.abs(a.length - b.length);
        for (int i = Math.min(a.length, b.length) - 1; i >= 0; i--) {
            n += a[i] != b[i] ? 1 : 0;
        }
        return n;
    }

    /** This session already sends the hashes of its own copies; the caller's are not used. */
    @Override
    public byte[][] read(long[] lineIds, byte[][] knownSha256) {
        return read(lineIds);
    }

    // ---------------------------------------------------------------------------------------------------
    // Writes: in order, on the writer thread

    /**
     * Writes these lines (uncommitted, like any flush) on the writer thread, after every write asked for
     * before; the future ends when they are stored, or with the store's failure.
     */
    @Override
    public Future<Void> flushInBackground(List<LineImage> writes) {
        return writer.submit(() -> {
            store.flush(writes, new long[0]);
            probe.passed(SessionProbe.Point.PREFLUSH);
            remember(writes, new long[0]);
            return null;
        });
    }

    @Override
    public void flush(List<LineImage> writes, long[] deletes) {
        inTurn(() -> {
            store.flush(writes, deletes);
            remember(writes, deletes);
            return null;
        });
        probe.passed(SessionProbe.Point.FLUSH);
    }

    @Override
    public long commit(List<LineImage> writes, long[] deletes, byte[] vmState, Map<String, String> metadata) {
        long id = inTurn(() -> {
            long committed = store.commit(writes, deletes, vmState, metadata);
            remember(writes, deletes);
            return committed;
        });
        probe.passed(SessionProbe.Point.COMMIT);
        return id;
    }

    /** Commits in turn, as {@link #commit} does; the future ends when the store that keeps the history has it. */
    @Override
    public java.util.concurrent.CompletableFuture<Long> commitAhead(List<LineImage> writes, long[] deletes,
                                                                    byte[] vmState, Map<String, String> metadata) {
        java.util.concurrent.CompletableFuture<Long> shipped = inTurn(() -> {
            java.util.concurrent.CompletableFuture<Long> f = store.commitAhead(writes, deletes, vmState, metadata);
            remember(writes, deletes);
            return f;
        });
        probe.passed(SessionProbe.Point.COMMIT);
        return shipped;
    }

    /** Who is told as writes pass their points ({@link SessionProbe}). */
    public void probe(SessionProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public void renewLease() {
        store.renewLease();
    }

    @Override
    public java.time.Duration leaseGranted() {
        return store.leaseGranted();
    }

    /** Lets queued writes finish (at most 30 s), then closes the store's session (releasing the lease). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
        store.close();
    }

    /** Line bytes received from the store by this session's reads. */
    public long bytesFetched() {
        return bytesFetched;
    }

    /** Lines read that the store said were unchanged from this device's copy. */
    public long linesUnchanged() {
        return linesUnchanged;
    }

    /** Lines read that changed since this device's copy and came as patches against it. */
    public long linesPatched() {
        return linesPatched;
    }

    /**
     * Bytes of the lines read (other than unchanged ones) that differ from this device's copies: what changed
     * elsewhere, against {@link #bytesFetched}, what travelled for it (a line without a copy counts whole).
     */
    public long bytesChanged() {
        return bytesChanged;
    }

    @Override
    public String toString() {
        return "DeviceSession over " + store;
    }

    /** Runs a write on the writer thread, in its turn, and waits for it. */
    private <T> T inTurn(Callable<T> write) {
        Future<T> f = writer.submit(write);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted waiting to write app '" + app() + "'", e);
        }
    }

    /** What was just stored becomes the device's copy (on the writer thread; the cache is thread-safe). */
    private void remember(List<LineImage> writes, long[] deletes) {
        if (copies == null) {
            return;
        }
        for (LineImage w : writes) {
            copies.put(app(), w.lineId(), w.data());
        }
        for (long d : deletes) {
            copies.remove(app(), d);
        }
    }
}
