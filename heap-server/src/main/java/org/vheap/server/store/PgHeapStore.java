package org.vheap.server.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The virtual heaps of one store, kept in PostgreSQL: one heap per application, lines as versions. This
 * class is the store's one entry point and owns every transaction; what each transaction does to a table
 * is in the package's classes by concept: {@link StoreArguments} (every argument check, before any SQL),
 * {@link HeapRow} and {@link HeapLeases} (the {@code heap} row: the heap lease, fencing, the open epoch),
 * {@link LineVersions} (every {@code line_version} statement on a line's path), {@link Checkpoints}
 * ({@code checkpoint} rows: publish, list, prune, delete), {@link StoreAdmin} (apps for operators) and
 * {@link VersionReclaimer} (deleting the versions no view needs).
 *
 * <p><b>One line's path.</b> A device flushes a written line with a {@code Transact} (the gRPC service
 * {@code grpc.HeapStoreService#transact} has made each wire {@code Line} a {@link LineImage} with
 * {@code grpc.ProtoMapping#lines}) and it arrives at {@link #transact}: {@link StoreArguments#checkTransact}
 * checks every argument; a flush (writes and deletions, no reads, under {@link LineVersions#COPY_BYTES}
 * of data) is {@link LineVersions#flushInOneStatement}, one auto-committed statement that locks the
 * heap row ({@code FOR SHARE}, or {@code FOR NO KEY UPDATE} for a counted flush: below), checks the fencing token,
 * the flushes acknowledged to the device and every line's length, counts the flush and inserts the
 * {@code line_version} row {@code (heap_id, line_id, open epoch, data)}; a Transact with reads, or a larger
 * flush (a commit's lines written ahead), locks the heap row ({@link HeapLeases#requireHolderShared},
 * {@code FOR SHARE}; a counted one {@link HeapLeases#requireHolder}, {@code FOR UPDATE}), checks the token and
 * lengths, reads ({@link LineVersions#readVisible}) and writes ({@link LineVersions#write}: the INSERT of
 * {@link LineVersions#WRITE_SQL}, or from a megabyte on a binary COPY, {@link VersionCopy}) in one transaction.
 * {@link #commit} writes the commit's last lines the same way under the row lock ({@code FOR UPDATE}), then publishes the open epoch as a checkpoint ({@link Checkpoints#insert})
 * and opens the next epoch ({@link HeapLeases#advance}): the row is now part of that checkpoint's view.
 *
 * <p><b>Durability.</b> A checkpoint commit returns once it is on disk (the database runs with
 * {@code synchronous_commit=on}), and so does every flush of a caller that does not count its flushes. A device
 * counts them: it sends how many of its lease's flushes it was told succeeded, and such a flush commits without
 * waiting for the disk flush (one per flush otherwise; {@code synchronous_commit} off for that transaction alone)
 * and adds one to the heap row's {@code open_flushes} in the same transaction. A database crash may lose the last
 * of those flushes, their count with them, but never a checkpoint, whose durable commit makes every flush before it
 * durable; the device's next call (read, flush or commit) then finds fewer flushes than it was told of and is
 * refused with FLUSHES_LOST ({@link HeapLeases#checkFlushes}), changing nothing: the device resumes from the last
 * checkpoint rather than read back or publish an open epoch that lost lines.
 *
 * <p><b>Contract.</b> Every public method runs in one database transaction and either does all it was
 * asked or nothing (a {@link StoreException} or unchecked exception means the transaction rolled back).
 * Writes belong to the open epoch of the lease holder and carry its fencing token; a stale token changes
 * nothing. Readers holding the lease see the open epoch (their own uncommitted writes); everyone else sees
 * a committed checkpoint. {@link #commit} publishes the open epoch and the VM state in one transaction.
 *
 * <p><b>Quotas.</b> An app's {@link AppQuota} ({@link AppQuotas}) bounds what it keeps: a commit reads it in its
 * transaction and is refused QUOTA_EXCEEDED, rolled back, when the checkpoint would hold more lines or bytes, and
 * prunes beyond its quota of checkpoints, pinned or not; a flush of an app whose quota bounds its lines leaves the
 * one-statement path, locks the heap row ({@code FOR UPDATE}: such flushes run one at a time), counts its open
 * epoch's versions after writing ({@link LineVersions#countEpoch}, one index scan of that epoch) and is refused,
 * rolled back, past the quota, and so is a commit whose last lines take the epoch past it. So no epoch holds more than
 * {@code L} versions, and with quotas of {@code L} lines and {@code K} checkpoints an app keeps at most
 * {@code (K + 1) * L} line versions once the versions only pruned checkpoints saw are reclaimed. Its calls per second
 * are the gRPC service's.
 *
 * <p><b>Versions.</b> A line's content in a view (checkpoint or open epoch) is its version with the highest
 * epoch in the view's {@link Lineage}; a NULL version is a deletion. Versions no retained checkpoint and no
 * open epoch can see are reclaimed by {@link VersionReclaimer} after the change that made them garbage
 * (a commit, pruning, takeover, close, checkpoint deletion) has committed, on the reclaim executor.
 *
 * <p><b>Concurrency.</b> Opening, closing, committing and deleting lock the heap row
 * ({@code SELECT ... FOR UPDATE}); uncounted flushes share-lock it, so they may run side by side while a takeover
 * still waits for every flush in flight; a counted flush updates it ({@code FOR NO KEY UPDATE}), so one heap's
 * counted flushes run one at a time (a device sends them one at a time anyway). Reads of one view are single statements or run in one REPEATABLE
 * READ transaction, so they see one consistent state.
 *
 * <p><b>Where statements go.</b> Every call runs on the store's pool, except an app's line calls once its heap id is
 * remembered ({@link #transact}, {@link #streamLines}): those go to the pool {@link HeapRouting} names for the heap,
 * on Citus with {@code --citus-route-to-workers} the worker holding its shard ({@link CitusWorkerRouting}). They take
 * no id from a sequence, and any node of a Citus cluster reaches any shard, so the contract above holds wherever
 * they run; a commit, which takes its epoch from a sequence, stays on the coordinator.
 *
 * <p><b>Risks.</b> The heap row is locked for the length of a commit; reclaiming examines every line written
 * since the oldest retained checkpoint, so its cost follows the heap's recent activity.
 */
public final class PgHeapStore {
    public static final int DEFAULT_LINE_SIZE = 4096;
    public static final int MIN_LINE_SIZE = 64;
    public static final int MAX_LINE_SIZE = 1 << 20;

    private final DataSource dataSource;
    private final HeapRouting routing;
    private final Clock clock;
    private final StoreSettings settings;
    private final VersionReclaimer reclaimer;
    private final SystemBlobs systemBlobs;
    private final AppQuotas quotas;
    private final HeapIds heapIds = new HeapIds();
    /** Whether the database is a Citus cluster's coordinator (flushes then go by {@link LineVersions#flushRouted}). */
    private volatile Boolean citus;

    /**
     * @param reclaimExecutor runs the reclaiming of unneeded versions after the change that made them
     *                        committed (see {@link VersionReclaimer}); a single background thread in a
     *                        server, {@code Runnable::run} to reclaim before the call returns
     */
    public PgHeapStore(DataSource dataSource, Clock clock, StoreSettings settings, Executor reclaimExecutor) {
        this(dataSource, HeapRouting.to(dataSource), clock, settings, reclaimExecutor);
    }

    /**
     * @param routing where each heap's faults and flushes go ({@link HeapDatabase#routing()}); every other call
     *                goes to {@code dataSource}
     */
    public PgHeapStore(DataSource dataSource, HeapRouting routing, Clock clock, StoreSettings settings,
                       Executor reclaimExecutor) {
        this.dataSource = dataSource;
        this.routing = routing;
        this.clock = clock;
        this.settings = settings;
        this.reclaimer = new VersionReclaimer(dataSource, reclaimExecutor);
        this.systemBlobs = new SystemBlobs(dataSource, clock, settings.maxSystemCallBytes());
        this.quotas = new AppQuotas(dataSource, clock);
    }

    /** The database it keeps the heaps in (for the store's companions: app tokens). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The store's clock: lease expiries are instants on it. */
    public Clock clock() {
        return clock;
    }

    public StoreSettings settings() {
        return settings;
    }

    /** The blobs every app of this store shares, in the same database. */
    public SystemBlobs systemBlobs() {
        return systemBlobs;
    }

    /** The apps' quotas, which this store's flushes and commits enforce. */
    public AppQuotas quotas() {
        return quotas;
    }

    // ---------------------------------------------------------------------------------------------------
    // Open, renew, close: the heap lease

    /** What a device asks for when it opens a heap; see {@code OpenHeapRequest} in the contract. */
    public record OpenRequest(String app, String device, boolean create, int lineSize, long leaseMillis,
                              long baseCheckpointId, boolean includeVmState) {
    }

    public OpenResult open(OpenRequest req) {
        return open(req, OpenGuard.NONE);
    }

    /**
     * Opens as {@link #open(OpenRequest)}, with {@code guard} deciding who may, in the same transaction.
     * Takes the heap lease with a new fencing token and a new open epoch on the base checkpoint's lineage
     * (the newest, or {@code baseCheckpointId}); an open epoch of an earlier holder is discarded.
     */
    public OpenResult open(OpenRequest req, OpenGuard guard) {
        StoreArguments.checkOpen(req);
        Duration leaseLength = StoreArguments.leaseLength(settings, req.leaseMillis());
        VersionReclaimer.Garbage garbage = reclaimer.garbage();
        OpenResult result = inTransaction(c -> {
            HeapRow h = HeapRow.find(c, heapIds, req.app(), true);
            boolean created = false;
            if (h == null) {
                if (!req.create()) {
                    guard.checkMissing(req.app());
                    throw StoreException.notFound("no app named '" + req.app() + "' (open it with create to make one)");
                }
                created = HeapRow.insert(c, heapIds, req.app(), req.lineSize() == 0 ? DEFAULT_LINE_SIZE : req.lineSize(),
                        clock.instant());
                h = HeapRow.find(c, heapIds, req.app(), true);
                if (h == null) {   // named by a transaction that committed in between, then deleted (or, on Citus,
                    // its name visible on the coordinator before its heap row on the worker)
                    throw new StoreException(StoreException.Reason.ABORTED, "app '" + req.app() + "' was created or"
                            + " deleted by another call at the same time; retry");
                }
                byte[] tokenHash = created ? guard.newTokenSha256() : null;
                if (tokenHash != null) {
                    AppTokens.upsert(c, h.heapId(), tokenHash);
                }
            }
            if (!created) {
                guard.checkExisting(req.app(), AppTokens.hashOf(c, h.heapId()));
            }
            if (req.lineSize() != 0 && req.lineSize() != h.lineSize()) {
                throw new StoreException(StoreException.Reason.CONFLICT, "app '" + req.app() + "' has "
                        + h.lineSize() + "-byte lines, not " + req.lineSize() + " (pass 0 to take the heap's)");
            }
            Instant now = clock.instant();
            HeapLeases.checkFree(req.app(), h, req.device(), now);
            CheckpointRecord base = Checkpoints.find(c, h, req.baseCheckpointId());
            if (base == null && req.baseCheckpointId() != 0) {
                throw Checkpoints.noSuchCheckpoint(req.app(), req.baseCheckpointId());
            }
            Lineage baseLineage = base == null ? Lineage.empty() : Checkpoints.lineage(c, h.heapId(), base.checkpointId());
            long discarded = 0;
            if (h.openEpoch() != null) {
                discarded = LineVersions.discardEpoch(c, h.heapId(), h.openEpoch());
                garbage.suspect(h.heapId(), h.openLineage().complement());
            }
            long epoch = HeapLeases.nextEpoch(c);
            // the new epoch's lineage joins the base's over the gap of epochs between, when no version lies in it
            long gapStart = Math.max(1, baseLineage.upper());
            long from = gapStart < epoch && LineVersions.anyBetween(c, h.heapId(), gapStart, epoch) ? epoch : gapStart;
            Lineage lineage = baseLineage.plus(Math.min(from, epoch), epoch);
            HeapLease lease = new HeapLease(req.device(), HeapLeases.nextFencingToken(c), now.plus(leaseLength),
                    leaseLength);
            HeapLeases.grant(c, h.heapId(), lease, epoch, lineage, base);
            byte[] vmState = base != null && req.includeVmState()
                    ? Checkpoints.vmState(c, h.heapId(), base.checkpointId()) : null;
            return new OpenResult(h.heapId(), h.lineSize(), lease, base, vmState, created, discarded);
        });
        garbage.reclaimLater();
        return result;
    }

    public HeapLease renew(String app, long token, long leaseMillis) {
        StoreArguments.checkApp(app);
        Duration leaseLength = StoreArguments.leaseLength(settings, leaseMillis);
        return inTransaction(c -> {
            HeapRow h = HeapLeases.requireHolder(c, heapIds, app, token);
            Instant expires = clock.instant().plus(leaseLength);
            HeapLeases.extend(c, h.heapId(), expires);
            return new HeapLease(h.holder(), h.token(), expires, leaseLength);
        });
    }

    /** Releases the lease; returns the number of uncommitted line versions discarded. */
    public long close(String app, long token) {
        StoreArguments.checkApp(app);
        VersionReclaimer.Garbage garbage = reclaimer.garbage();
        long discardedLines = inTransaction(c -> {
            HeapRow h = HeapLeases.requireHolder(c, heapIds, app, token);
            long discarded = LineVersions.discardEpoch(c, h.heapId(), h.openEpoch());
            HeapLeases.release(c, h.heapId());
            garbage.suspect(h.heapId(), h.openLineage().complement());
            return discarded;
        });
        garbage.reclaimLater();
        return discardedLines;
    }

    // ---------------------------------------------------------------------------------------------------
    // Lines: the atomic read/write/delete transaction (figures 11a-c) and the bulk read

    /** What a caller that does not count its flushes passes as the flushes acknowledged to it. */
    public static final long FLUSHES_NOT_COUNTED = -1;

    /**
     * One atomic transaction. With a fencing token the view is the open epoch and writes and deletes go
     * into it; with token 0 the view is checkpoint {@code checkpointId} (0: the newest) and only reads are
     * allowed. Reads see the state before this call's writes. Returns the read lines that exist, in
     * request order; absent ones are left out. Its writes are durable when it returns.
     */
    public Map<Long, byte[]> transact(String app, long token, long checkpointId, long[] reads,
                                      List<LineImage> writes, long[] deletes) {
        return transact(app, token, checkpointId, reads, writes, deletes, FLUSHES_NOT_COUNTED).lines();
    }

    /**
     * What a {@link #transact} did: the read lines that exist, in request order, and for a counted flush how many
     * of the lease's flushes the store holds with it (the caller's count from now on; -1 when not counted).
     */
    public record Transacted(Map<Long, byte[]> lines, long flushesHeld) {
    }

    /**
     * {@link #transact(String, long, long, long[], List, long[])} for a lease holder that counts its flushes:
     * {@code acknowledged} is how many of this lease's flushes it was told succeeded (or
     * {@link #FLUSHES_NOT_COUNTED}). Counted, a flush commits without waiting for the database's disk flush
     * (each would otherwise cost one): it may be lost if the database crashes before the next durable commit,
     * and since every flush adds one to the lease's count in the same transaction, the loss is then seen by the
     * holder's next call, refused with FLUSHES_LOST ({@link HeapLeases#checkFlushes}); a checkpoint commit is
     * durable, and so makes every flush before it durable. The answer's {@code flushesHeld} counts a flush the store
     * applied before although its caller never got the answer (a retry after a deadline), so the caller's count
     * never falls behind the store's, which would let a later loss go unseen.
     */
    public Transacted transact(String app, long token, long checkpointId, long[] reads,
                               List<LineImage> writes, long[] deletes, long acknowledged) {
        StoreArguments.checkTransact(app, token, checkpointId, reads, writes, deletes);
        StoreArguments.checkAcknowledged(token, acknowledged);
        return transactChecked(app, token, checkpointId, reads, writes, deletes, acknowledged,
                acknowledged != FLUSHES_NOT_COUNTED);
    }

    /** A {@link #transact} whose arguments were checked; {@code counted}: the flush counts and is asynchronous. */
    private Transacted transactChecked(String app, long token, long checkpointId, long[] reads,
                                       List<LineImage> writes, long[] deletes, long acknowledged, boolean counted) {
        DataSource heapPool = heapPool(app);
        if (writes.isEmpty() && deletes.length == 0) {
            return new Transacted(SqlTransactions.withConnection(heapPool, c -> found(app, heapIds.withId(c, app,
                    id -> LineVersions.readInOneStatement(c, id, app, token, checkpointId, reads, acknowledged)))), -1);
        }
        // an app whose quota bounds its lines counts its open epoch after each flush, in the flush's transaction
        AppQuota quota = quotas.of(app);
        if (reads.length == 0 && LineVersions.writesByInsert(writes) && !quota.boundsLines()) {
            if (onCitus()) {
                SqlTransactions.SqlWork<Long> flush = c -> found(app, heapIds.withId(c, app,
                        id -> LineVersions.flushRouted(c, id, app, token, writes, deletes, acknowledged, counted)));
                return new Transacted(Map.of(), counted ? SqlTransactions.inTransaction(heapPool, flush)
                        : SqlTransactions.withConnection(heapPool, flush));
            }
            return new Transacted(Map.of(), SqlTransactions.withConnection(heapPool, c -> found(app, heapIds.withId(c, app,
                    id -> LineVersions.flushInOneStatement(c, id, app, token, writes, deletes, acknowledged, counted)))));
        }
        return SqlTransactions.inTransaction(heapPool, c -> {
            // a counted flush changes the heap row (its count); others only add versions, side by side, except under a
            // quota of lines: then one at a time, so each counts the epoch with the others' versions in it
            HeapRow h = counted || quota.boundsLines() ? HeapLeases.requireHolder(c, heapIds, app, token)
                    : HeapLeases.requireHolderShared(c, heapIds, app, token);
            HeapLeases.checkFlushes(app, acknowledged, h.openFlushes());
            StoreArguments.checkLineLengths(h.lineSize(), writes);
            Map<Long, byte[]> result = reads.length == 0 ? Map.of()
                    : LineVersions.readVisible(c, h.heapId(), h.openLineage(), reads);
            LineVersions.write(c, h.heapId(), h.openEpoch(), writes, deletes);
            if (quota.boundsLines()) {
                quota.checkOpenEpoch(app, LineVersions.countEpoch(c, h.heapId(), h.openEpoch()), h.lineSize());
            }
            return new Transacted(result, counted ? HeapLeases.countFlush(c, h.heapId()) : -1);
        });
    }

    /**
     * Copies a caller holds, found by content: for each of {@code lineIds} with its SHA-256 in {@code sha256}, the
     * bytes of a version of that line of the app's heap that has that hash, if the store still holds one (any
     * epoch). A caller that reads a line which changed since its copy gets a patch against these bytes: they are
     * exactly the caller's, whichever version they came from. Absent ones are left out. Reads only; no lease.
     */
    public Map<Long, byte[]> versionsBySha256(String app, long[] lineIds, byte[][] sha256) {
        StoreArguments.checkApp(app);
        if (lineIds.length != sha256.length) {
            throw new IllegalArgumentException(lineIds.length + " line ids but " + sha256.length + " hashes");
        }
        return lineIds.length == 0 ? Map.of()
                : withConnection(c -> {
                    long heapId = heapIds.lookUp(c, app);
                    return heapId == HeapIds.NONE ? Map.of() : LineVersions.versionsBySha256(c, heapId, lineIds, sha256);
                });
    }

    /**
     * Flushes: writes lines and deletions into the open epoch, uncommitted (the seed's flushing and
     * pre-flushing), durable when this returns. Equivalent to {@link #transact} without reads.
     */
    public void flush(String app, long token, List<LineImage> writes, long[] deletes) {
        transact(app, token, 0, new long[0], writes, deletes);
    }

    /**
     * A flush on behalf of a commit ({@link #commit}'s lines written ahead of it): durable and not counted, but
     * refused as the commit would be when the lease holds fewer flushes than {@code acknowledged}.
     */
    public void flushAhead(String app, long token, List<LineImage> writes, long[] deletes, long acknowledged) {
        StoreArguments.checkTransact(app, token, 0, new long[0], writes, deletes);
        StoreArguments.checkAcknowledged(token, acknowledged);
        transactChecked(app, token, 0, new long[0], writes, deletes, acknowledged, false);
    }

    /** A range of line ids, both ends inclusive. */
    public record LineRange(long first, long last) {
    }

    /**
     * Streams the lines of one view (see {@link #transact}) in ascending id order, in chunks of about
     * {@code chunkBytes}, from one consistent snapshot. {@code ranges} empty means every line. The sink may
     * block (flow control) or throw to stop.
     */
    public void streamLines(String app, long token, long checkpointId, List<LineRange> ranges, int chunkBytes,
                            Consumer<List<LineImage>> sink) {
        StoreArguments.checkRanges(app, checkpointId, ranges);
        List<LineRange> sorted = new ArrayList<>(ranges.isEmpty() ? List.of(new LineRange(0, Long.MAX_VALUE)) : ranges);
        sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
        SqlTransactions.inSnapshot(heapPool(app), c -> {
            HeapRow h = HeapRow.require(c, heapIds, app, false);
            Lineage lineage;
            if (token != 0) {
                HeapLeases.checkToken(app, token, h.token(), h.holder());
                lineage = h.openLineage();
            } else {
                lineage = Checkpoints.viewLineage(c, h, app, checkpointId);
            }
            LineVersions.stream(c, h.heapId(), lineage, sorted, chunkBytes, sink);
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Checkpoints

    /**
     * Checks the arguments of a {@link #commit} that are known before its lines, touching nothing: a commit
     * stream checks its header with it before it writes any line ahead of the commit.
     */
    public void checkCommit(String app, long token, String device) {
        StoreArguments.checkCommit(app, token, device);
    }

    /**
     * Commits a checkpoint: the given last lines and deletions, every line already written in the open
     * epoch, and the VM state, in one database transaction. A new open epoch starts from it, and the
     * retention policy prunes older checkpoints.
     */
    public CommitResult commit(String app, long token, String device, byte[] vmState, Map<String, String> metadata,
                               List<LineImage> writes, long[] deletes) {
        return commit(app, token, device, vmState, metadata, writes, deletes, FLUSHES_NOT_COUNTED);
    }

    /**
     * A {@link #commit(String, long, String, byte[], Map, List, long[]) commit} refused with FLUSHES_LOST when
     * the lease holds fewer flushes than {@code acknowledged} (see the counted {@link #transact}): it never
     * publishes an open epoch that lost flushes. Like every commit it waits for the disk.
     */
    public CommitResult commit(String app, long token, String device, byte[] vmState, Map<String, String> metadata,
                               List<LineImage> writes, long[] deletes, long acknowledged) {
        return commit(app, token, device, vmState, metadata, writes, deletes, acknowledged, false);
    }

    /**
     * A {@link #commit(String, long, String, byte[], Map, List, long[], long) commit} that, with
     * {@code pinForCopies}, keeps the checkpoint beyond the retention policy for {@link StoreSettings#copyPin}
     * (not at all when that is zero), because its device keeps copies of the heap's lines: when the app returns
     * there, lines that changed meanwhile travel as patches against versions this checkpoint sees. Any commit of
     * the device, pinned or not, unpins its older checkpoints of the app (pruned with the others when retention
     * says so).
     */
    public CommitResult commit(String app, long token, String device, byte[] vmState, Map<String, String> metadata,
                               List<LineImage> writes, long[] deletes, long acknowledged, boolean pinForCopies) {
        StoreArguments.checkCommit(app, token, device);
        StoreArguments.checkWriteSet(writes, deletes);
        StoreArguments.checkAcknowledged(token, acknowledged);
        VersionReclaimer.Garbage garbage = reclaimer.garbage();
        CommitResult result = inTransaction(c -> {
            HeapRow h = HeapLeases.requireHolder(c, heapIds, app, token);
            HeapLeases.checkFlushes(app, acknowledged, h.openFlushes());
            StoreArguments.checkLineLengths(h.lineSize(), writes);
            LineVersions.write(c, h.heapId(), h.openEpoch(), writes, deletes);
            LineVersions.EpochChanges changes = LineVersions.changes(c, h.heapId(), h.openEpoch(), h.openLineage());
            long lineCount = h.openBaseLineCount() + changes.added() - changes.removed();
            AppQuota quota = AppQuotas.effective(c, app);
            quota.checkCheckpoint(app, lineCount, h.lineSize(), vmState.length);
            if (quota.boundsLines()) {   // its last lines too: no epoch holds more versions than the quota
                quota.checkOpenEpoch(app, LineVersions.countEpoch(c, h.heapId(), h.openEpoch()), h.lineSize());
            }
            Instant now = clock.instant();
            Instant pinnedUntil = pinForCopies && !settings.copyPin().isZero() ? now.plus(settings.copyPin()) : null;
            CheckpointRecord cp = new CheckpointRecord(h.openEpoch(), h.openBase() == null ? 0 : h.openBase(),
                    now, device, lineCount, lineCount * h.lineSize(), changes.written(), vmState.length,
                    Map.copyOf(metadata), pinnedUntil);
            Checkpoints.insert(c, h, cp, vmState);
            // the epochs between this one and the next hold no version of this heap: one range goes on
            long next = HeapLeases.nextEpoch(c);
            HeapLeases.advance(c, h.heapId(), next, h.openLineage().plus(h.openLineage().upper(), next),
                    h.openEpoch(), lineCount);
            Checkpoints.Pruned pruned = Checkpoints.prune(c, h.heapId(), Math.min(settings.retain(), quota.keepAtMost()),
                    quota.keepAtMost(), now);
            // what this commit shadowed, and what the pruned checkpoints alone could see
            garbage.suspect(h.heapId(), Lineage.empty().plus(h.openEpoch(), h.openEpoch()).union(pruned.suspects()));
            return new CommitResult(cp, pruned.ids());
        });
        garbage.reclaimLater();
        return result;
    }

    /** The app's retained checkpoints, newest first. */
    public List<CheckpointRecord> listCheckpoints(String app) {
        StoreArguments.checkApp(app);
        return inSnapshot(c -> Checkpoints.list(c, HeapRow.require(c, heapIds, app, false), 0, Integer.MAX_VALUE));
    }


    /** A checkpoint with its VM state and its heap's line size. */
    public record CheckpointState(CheckpointRecord checkpoint, int lineSize, byte[] vmState) {
    }

    /** A checkpoint (0: the newest) with its VM state and its heap's line size, read in one snapshot. */
    public CheckpointState checkpointState(String app, long checkpointId) {
        StoreArguments.checkApp(app);
        StoreArguments.checkCheckpointId(checkpointId);
        return inSnapshot(c -> {
            HeapRow h = HeapRow.require(c, heapIds, app, false);
            CheckpointRecord cp = Checkpoints.require(c, h, app, checkpointId);
            return new CheckpointState(cp, h.lineSize(), Checkpoints.vmState(c, h.heapId(), cp.checkpointId()));
        });
    }

    public void deleteCheckpoint(String app, long checkpointId) {
        StoreArguments.checkApp(app);
        StoreArguments.checkCheckpointToDelete(checkpointId);
        VersionReclaimer.Garbage garbage = reclaimer.garbage();
        inTransaction(c -> {
            HeapRow h = HeapRow.require(c, heapIds, app, true);
            Lineage removed = Checkpoints.delete(c, h.heapId(), app, checkpointId);
            garbage.suspect(h.heapId(), removed.complement());
            return null;
        });
        garbage.reclaimLater();
    }

    // ---------------------------------------------------------------------------------------------------
    // Store management

    public List<AppRecord> listApps() {
        return inSnapshot(c -> {
            List<AppRecord> apps = new ArrayList<>();
            for (String name : StoreAdmin.appNames(c)) {
                AppRecord app = StoreAdmin.appRecord(c, heapIds, name);
                if (app != null) {
                    apps.add(app);
                }
            }
            return apps;
        });
    }

    public AppRecord app(String app) {
        StoreArguments.checkApp(app);
        return inSnapshot(c -> {
            AppRecord r = StoreAdmin.appRecord(c, heapIds, app);
            if (r == null) {
                throw HeapRow.noSuchApp(app);
            }
            return r;
        });
    }

    /**
     * Deletes an app's heap: its checkpoints and line versions. The {@link SystemBlobs} blobs it
     * uploaded are kept: they are the store's, shared by every app.
     */
    public void deleteApp(String app, boolean force) {
        StoreArguments.checkApp(app);
        inTransaction(c -> {
            StoreAdmin.deleteHeap(c, heapIds, app, HeapRow.require(c, heapIds, app, true), force, clock.instant());
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Heap images

    /**
     * Writes a committed checkpoint (0: the newest) as a portable heap image ({@link org.vheap.format.HeapImageWriter})
     * to {@code out}, from one snapshot: its VM state, every system blob it names and its lines. {@code out} may block
     * (flow control) or throw to stop. Returns the checkpoint written.
     */
    public CheckpointRecord exportHeap(String app, long checkpointId, java.io.OutputStream out,
                                       Consumer<HeapToolProgress> progress) {
        StoreArguments.checkApp(app);
        StoreArguments.checkCheckpointId(checkpointId);
        return inSnapshot(c -> {
            HeapRow h = HeapRow.require(c, heapIds, app, false);
            CheckpointRecord cp = Checkpoints.require(c, h, app, checkpointId);
            HeapImages.export(c, h, app, cp, Checkpoints.lineage(c, h.heapId(), cp.checkpointId()),
                    Checkpoints.vmState(c, h.heapId(), cp.checkpointId()), out, progress);
            return cp;
        });
    }

    /**
     * Reads a committed checkpoint (0: the newest) whole into {@code reader}, from one snapshot: its VM state, the
     * system blobs the reader asks for, then its lines in line order. Returns the checkpoint read.
     */
    public CheckpointRecord readCheckpoint(String app, long checkpointId, CheckpointReader reader) {
        StoreArguments.checkApp(app);
        StoreArguments.checkCheckpointId(checkpointId);
        return inSnapshot(c -> {
            HeapRow h = HeapRow.require(c, heapIds, app, false);
            CheckpointRecord cp = Checkpoints.require(c, h, app, checkpointId);
            HeapImages.read(c, h, cp, Checkpoints.lineage(c, h.heapId(), cp.checkpointId()),
                    Checkpoints.vmState(c, h.heapId(), cp.checkpointId()), reader);
            return cp;
        });
    }

    /** What {@link #importHeap} made. */
    public record Imported(String app, CheckpointRecord checkpoint, int blobs, int blobsAdded, boolean replaced) {
    }

    /**
     * Makes a heap from a heap image, in one transaction: app {@code app} (empty: the image's name) with one checkpoint
     * holding the image's lines and VM state (its id from this store's sequence), the image's system blobs added to the
     * store's, {@code tokenSha256} its access token's hash. Refused, changing nothing: an image that is truncated,
     * altered or of another format, or that lacks a system blob its VM state names (INVALID_ARGUMENT); a name taken
     * without {@code replace}, or a replaced app a device holds the lease of (CONFLICT); a checkpoint over the app's
     * quota (QUOTA_EXCEEDED).
     *
     * @param reader an image whose header was read, and nothing more
     */
    public Imported importHeap(String app, boolean replace, org.vheap.format.HeapImageReader reader, byte[] tokenSha256,
                               Consumer<HeapToolProgress> progress) {
        String name = app.isEmpty() ? reader.header().app() : app;
        StoreArguments.checkApp(name);
        HeapImages.Imported made = inTransaction(c -> HeapImages.importHeap(c, heapIds, name,
                HeapRow.find(c, heapIds, name, true), replace, reader, tokenSha256, clock.instant(), progress));
        return new Imported(name, made.checkpoint(), made.blobs(), made.blobsAdded(), made.replaced());
    }

    /**
     * Schedules a reclaim of every heap, examining every line: catches what a lost reclaim left behind
     * (one that failed, or was still queued when a server stopped). A server runs it once at start.
     */
    public void reclaimEverythingLater() {
        reclaimer.reclaimEverythingLater(withConnection(HeapRow::allIds));
    }

    // ---------------------------------------------------------------------------------------------------

    /** Whether the database has the citus extension (asked once, as {@link HeapDatabase} asks at start). */
    private boolean onCitus() {
        Boolean known = citus;
        if (known == null) {
            known = HeapDatabase.citusVersion(dataSource) != null;
            citus = known;
        }
        return known;
    }

    /** What a statement on the app's heap by id found ({@link HeapIds#withId}); NOT_FOUND when there is no such app. */
    private static <T> T found(String app, T result) {
        if (result == null) {
            throw HeapRow.noSuchApp(app);
        }
        return result;
    }

    /**
     * The pool for the app's line calls (faults, flushes, streamed reads), which take no id from a sequence: on
     * Citus with {@code --citus-route-to-workers} its worker's once its id is known, else the store's.
     */
    private DataSource heapPool(String app) {
        long known = heapIds.remembered(app);
        return known == HeapIds.NONE ? dataSource : routing.forHeap(known);
    }

    private <T> T inTransaction(SqlTransactions.SqlWork<T> work) {
        return SqlTransactions.inTransaction(dataSource, work);
    }

    private <T> T inSnapshot(SqlTransactions.SqlWork<T> work) {
        return SqlTransactions.inSnapshot(dataSource, work);
    }

    private <T> T withConnection(SqlTransactions.SqlWork<T> work) {
        return SqlTransactions.withConnection(dataSource, work);
    }
}
