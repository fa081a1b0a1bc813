package org.vheap.server.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.vheap.format.HeapGraph;
import org.vheap.format.HeapVerifier;
import org.vheap.format.OfflineCollector;
import org.vheap.server.store.CheckpointRecord;
import org.vheap.server.store.CommitResult;
import org.vheap.server.store.HeapToolProgress;
import org.vheap.server.store.OpenResult;
import org.vheap.server.store.PgHeapStore;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Collection of a suspended app's heap on the server ({@code ./vheap gc [--compact]}), as a device would: it takes the
 * app's lease as a device named {@link #COLLECTOR}-something (refused while a device holds it; renewed while it works),
 * reads the base checkpoint ({@link HeapSnapshots}), verifies it ({@link HeapVerifier}: a damaged heap is not
 * collected), collects it with heap-format's {@link OfflineCollector}, writes the new lines into its open
 * epoch as they come (a megabyte a flush, renewing the lease), and commits the new VM state as a checkpoint whose
 * parent is the base, then lets the lease go. From a checkpoint older than the newest the new one is a fork, and
 * {@link Collected#forked} says so. A failure at any step lets the lease go with the open epoch discarded: the store
 * is as before.
 */
public final class OfflineCollections {
    /** The device name the collection holds the lease as, with a suffix of its own. */
    public static final String COLLECTOR = "vheap-gc";
    /** Metadata of the checkpoint a collection makes: the checkpoint it collected. */
    public static final String COLLECTED_FROM = "vheap.collected-from";
    private static final int FLUSH_BYTES = 1 << 20;
    /** How often the lease is renewed while the collection reads and walks the heap. */
    private static final long RENEW_NANOS = 5_000_000_000L;

    /** What a collection made: the new checkpoint, from which, whether a fork, and what it found. */
    public record Collected(CheckpointRecord checkpoint, CheckpointRecord from, boolean forked,
                            OfflineCollector.Result result) {
    }

    private final PgHeapStore store;
    private final HeapSnapshots snapshots;

    public OfflineCollections(PgHeapStore store, HeapSnapshots snapshots) {
        this.store = store;
        this.snapshots = snapshots;
    }

    /**
     * Collects checkpoint {@code checkpointId} (0: the newest) of {@code app} into a new checkpoint.
     *
     * @throws StoreException LEASE_HELD while a device holds the app; NOT_FOUND for no such app or checkpoint; CONFLICT
     *                        for a heap that cannot be collected (damaged, or without frame maps to compact)
     */
    public Collected collect(String app, long checkpointId, boolean compact, Consumer<HeapToolProgress> progress) {
        // a holder of its own: two collections of one app never share a lease (a holder may open its own lease again)
        String holder = COLLECTOR + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        OpenResult open;
        try {
            open = store.open(new PgHeapStore.OpenRequest(app, holder, false, 0, 0, checkpointId, false));
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.LEASE_HELD) {
                throw new StoreException(e.reason(), "gc works on a suspended app: " + e.getMessage());
            }
            throw e;
        }
        long token = open.lease().fencingToken();
        Lease lease = new Lease(app, token);
        Collected collected;
        Consumer<HeapToolProgress> renewing = p -> {
            lease.renewIfDue();
            progress.accept(p);
        };
        try {
            CheckpointRecord base = open.baseCheckpoint();
            if (base == null) {
                throw StoreException.notFound("app '" + app + "' has no checkpoint to collect");
            }
            boolean forked = store.listCheckpoints(app).get(0).checkpointId() != base.checkpointId();
            HeapSnapshot snapshot = snapshots.snapshot(app, base.checkpointId(), renewing);
            HeapVerifier.Verdict verdict = HeapVerifier.verify(snapshot.graph(), snapshot.lineSize(), 1,
                    snapshot.readProblems(), (objects, bytes) -> renewing.accept(new HeapToolProgress("verifying",
                            base.lineCount(), base.lineCount(), 0, objects)));
            if (!verdict.sound()) {
                HeapVerifier.Problem first = verdict.problems().get(0);
                throw new StoreException(StoreException.Reason.CONFLICT, "checkpoint " + base.checkpointId() + " of app '"
                        + app + "' cannot be collected: the heap is damaged (" + verdict.problemsFound() + " problems,"
                        + " the first: " + first.kind() + ": " + first.where() + ": " + first.what()
                        + "; ./vheap verify names them): what it would free might be what the damage hides");
            }
            HeapGraph.Marking marking = snapshot.marking(renewing);
            Writer writer = new Writer(app, token, renewing, base.lineCount());
            OfflineCollector.Result result;
            try {
                result = OfflineCollector.collect(snapshot.graph(), marking, snapshot.lineSize(), snapshot.presentLines(),
                        compact, writer);
            } catch (IllegalStateException e) {
                throw new StoreException(StoreException.Reason.CONFLICT, "checkpoint " + base.checkpointId() + " of app '"
                        + app + "' cannot be collected: " + e.getMessage());
            }
            store.renew(app, token, 0);
            CommitResult committed = store.commit(app, token, holder, result.state().encode(),
                    Map.of("reason", compact ? "gc --compact" : "gc", COLLECTED_FROM, Long.toString(base.checkpointId())),
                    writer.pending, writer.deletes.stream().mapToLong(Long::longValue).toArray());
            collected = new Collected(committed.checkpoint(), base, forked, result);
        } catch (RuntimeException | Error e) {
            try {
                store.close(app, token);   // the open epoch discarded: nothing changed
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        store.close(app, token);
        return collected;
    }

    /** The collection's lease: renewed while it reads and walks, at most every {@link #RENEW_NANOS}. */
    private final class Lease {
        private final String app;
        private final long token;
        private long renewedAt = System.nanoTime();

        Lease(String app, long token) {
            this.app = app;
            this.token = token;
        }

        void renewIfDue() {
            long now = System.nanoTime();
            if (now - renewedAt >= RENEW_NANOS) {
                store.renew(app, token, 0);
                renewedAt = now;
            }
        }
    }

    /** The new lines, flushed into the open epoch a megabyte at a time; the deletions kept for the commit. */
    private final class Writer implements OfflineCollector.LineSink {
        private final String app;
        private final long token;
        private final Consumer<HeapToolProgress> progress;
        private final long lineCount;
        private List<LineImage> pending = new ArrayList<>();
        private final List<Long> deletes = new ArrayList<>();
        private long pendingBytes;
        private long written;

        Writer(String app, long token, Consumer<HeapToolProgress> progress, long lineCount) {
            this.app = app;
            this.token = token;
            this.progress = progress;
            this.lineCount = lineCount;
        }

        @Override
        public void write(long lineId, byte[] data) {
            pending.add(new LineImage(lineId, data));
            pendingBytes += data.length;
            written++;
            if (pendingBytes >= FLUSH_BYTES) {
                store.flush(app, token, pending, new long[0]);
                store.renew(app, token, 0);
                pending = new ArrayList<>();
                pendingBytes = 0;
                progress.accept(new HeapToolProgress("writing", written, lineCount, 0));
            }
        }

        @Override
        public void delete(long lineId) {
            deletes.add(lineId);
        }
    }
}
