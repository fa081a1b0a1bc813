package org.vheap.server.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The virtual heaps of one store, kept in PostgreSQL: one heap per application, lines as versions.
 *
 * <p><b>Contract.</b> Every public method runs in one database transaction and either does all it was
 * asked or nothing (a {@link StoreException} or unchecked exception means the transaction rolled back).
 * Writes belong to the open epoch of the lease holder and carry its fencing token; a stale token changes
 * nothing. Readers holding the lease see the open epoch (their own uncommitted writes); everyone else sees
 * a committed checkpoint. {@link #commit} publishes the open epoch and the VM state in one transaction.
 *
 * <p><b>Versions.</b> A line's content in a view (checkpoint or open epoch) is its version with the highest
 * epoch in the view's {@link Lineage}; a NULL version is a deletion. Versions no retained checkpoint and no
 * open epoch can see are reclaimed by {@link VersionReclaimer} after the change that made them garbage
 * (a commit, pruning, takeover, close, checkpoint deletion) has committed, on the reclaim executor.
 *
 * <p><b>Concurrency.</b> Opening, closing, committing and deleting lock the heap row
 * ({@code SELECT ... FOR UPDATE}); flushes share-lock it, so they may run side by side while a takeover
 * still waits for every flush in flight. Reads of one view are single statements or run in one REPEATABLE
 * READ transaction, so they see one consistent state.
 *
 * <p><b>Risks.</b> The heap row is locked for the length of a commit; reclaiming examines every line written
 * since the oldest retained checkpoint, so its cost follows the heap's recent activity.
 */
public final class PgHeapStore {
    private static final Logger log = LoggerFactory.getLogger(PgHeapStore.class);
    /** Bytes of line data sent in one INSERT statement. */
    private static final int WRITE_STATEMENT_BYTES = 8 << 20;
    public static final int DEFAULT_LINE_SIZE = 4096;
    public static final int MIN_LINE_SIZE = 64;
    public static final int MAX_LINE_SIZE = 1 << 20;

    private final DataSource dataSource;
    private final Clock clock;
    private final StoreSettings settings;
    private final VersionReclaimer reclaimer = new VersionReclaimer();
    private final Executor reclaimExecutor;
    private final SystemBlobs systemBlobs;

    /**
     * @param reclaimExecutor runs the reclaiming of unneeded versions after the change that made them
     *                        committed (see {@link VersionReclaimer}); a single background thread in a
     *                        server, {@code Runnable::run} to reclaim before the call returns
     */
    public PgHeapStore(DataSource dataSource, Clock clock, StoreSettings settings, Executor reclaimExecutor) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.reclaimExecutor = reclaimExecutor;
        this.systemBlobs = new SystemBlobs(dataSource, clock, settings.maxSystemCallBytes());
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

    // ---------------------------------------------------------------------------------------------------
    // Open, renew, close: the writer lease

    /** What a device asks for when it opens a heap; see {@code OpenHeapRequest} in the contract. */
    public record OpenRequest(String app, String device, boolean create, int lineSize, long leaseMillis,
                              long baseCheckpointId, boolean includeVmState) {
    }

    public OpenResult open(OpenRequest req) {
        return open(req, OpenGuard.NONE);
    }

    /** Opens as {@link #open(OpenRequest)}, with {@code guard} deciding who may, in the same transaction. */
    public OpenResult open(OpenRequest req, OpenGuard guard) {
        HeapNames.checkApp(req.app());
        HeapNames.checkDevice(req.device());
        if (req.lineSize() != 0) {
            checkLineSize(req.lineSize());
        }
        if (req.baseCheckpointId() < 0) {
            throw StoreException.invalid("checkpoint id must be positive, got " + req.baseCheckpointId());
        }
        Duration leaseLength = leaseLength(req.leaseMillis());
        Garbage garbage = new Garbage();
        OpenResult result = inTransaction(c -> {
            HeapRow h = lockHeap(c, req.app());
            boolean created = false;
            if (h == null) {
                if (!req.create()) {
                    guard.checkMissing(req.app());
                    throw StoreException.notFound("no app named '" + req.app() + "' (open it with create to make one)");
                }
                created = insertHeap(c, req.app(), req.lineSize() == 0 ? DEFAULT_LINE_SIZE : req.lineSize());
                h = lockHeap(c, req.app());
                byte[] tokenHash = created ? guard.newTokenSha256() : null;
                if (tokenHash != null) {
                    AppTokens.upsert(c, h.heapId, tokenHash);
                }
            }
            if (!created) {
                guard.checkExisting(req.app(), AppTokens.hashOf(c, h.heapId));
            }
            if (req.lineSize() != 0 && req.lineSize() != h.lineSize) {
                throw new StoreException(StoreException.Reason.CONFLICT, "app '" + req.app() + "' has "
                        + h.lineSize + "-byte lines, not " + req.lineSize() + " (pass 0 to take the heap's)");
            }
            Instant now = clock.instant();
            if (h.holder != null && !h.holder.equals(req.device()) && h.expiresAt.isAfter(now)) {
                throw new StoreException(StoreException.Reason.LEASE_HELD, "app '" + req.app()
                        + "' is leased to device '" + h.holder + "' until " + h.expiresAt
                        + "; wait for it to expire or for that device to close it");
            }
            CheckpointRecord base = req.baseCheckpointId() == 0
                    ? newestCheckpoint(c, h)
                    : checkpoint(c, h, req.baseCheckpointId());
            if (base == null && req.baseCheckpointId() != 0) {
                throw noSuchCheckpoint(req.app(), req.baseCheckpointId());
            }
            Lineage baseLineage = base == null ? Lineage.empty() : lineageOf(c, h.heapId, base.checkpointId());
            long discarded = 0;
            if (h.openEpoch != null) {
                discarded = discardEpoch(c, h.heapId, h.openEpoch);
                garbage.suspect(h.heapId, h.openLineage.complement());
            }
            long epoch = nextval(c, "epoch_seq");
            long gapStart = Math.max(1, baseLineage.upper());
            long from = gapStart < epoch && versionsBetween(c, h.heapId, gapStart, epoch) ? epoch : gapStart;
            Lineage lineage = baseLineage.plus(Math.min(from, epoch), epoch);
            HeapLease lease = new HeapLease(req.device(), nextval(c, "fencing_token_seq"), now.plus(leaseLength));
            try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET fencing_token = ?, lease_holder = ?,"
                    + " lease_expires_at = ?, open_epoch = ?, open_lineage = ?::int8multirange,"
                    + " open_base_checkpoint = ?, open_base_line_count = ? WHERE heap_id = ?")) {
                ps.setLong(1, lease.fencingToken());
                ps.setString(2, lease.holder());
                ps.setTimestamp(3, Timestamp.from(lease.expiresAt()));
                ps.setLong(4, epoch);
                ps.setString(5, lineage.toString());
                setNullableLong(ps, 6, base == null ? null : base.checkpointId());
                ps.setLong(7, base == null ? 0 : base.lineCount());
                ps.setLong(8, h.heapId);
                ps.executeUpdate();
            }
            byte[] vmState = base != null && req.includeVmState() ? vmState(c, h.heapId, base.checkpointId()) : null;
            return new OpenResult(h.heapId, h.lineSize, lease, base, vmState, created, discarded);
        });
        garbage.reclaimLater();
        return result;
    }

    public HeapLease renew(String app, long token, long leaseMillis) {
        HeapNames.checkApp(app);
        Duration leaseLength = leaseLength(leaseMillis);
        return inTransaction(c -> {
            HeapRow h = requireLeaseHolder(c, app, token);
            Instant expires = clock.instant().plus(leaseLength);
            try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET lease_expires_at = ? WHERE heap_id = ?")) {
                ps.setTimestamp(1, Timestamp.from(expires));
                ps.setLong(2, h.heapId);
                ps.executeUpdate();
            }
            return new HeapLease(h.holder, h.token, expires);
        });
    }

    /** Releases the lease; returns the number of uncommitted line versions discarded. */
    public long close(String app, long token) {
        HeapNames.checkApp(app);
        Garbage garbage = new Garbage();
        long discardedLines = inTransaction(c -> {
            HeapRow h = requireLeaseHolder(c, app, token);
            long discarded = discardEpoch(c, h.heapId, h.openEpoch);
            try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET lease_holder = NULL, lease_expires_at = NULL,"
                    + " open_epoch = NULL, open_lineage = NULL, open_base_checkpoint = NULL,"
                    + " open_base_line_count = NULL WHERE heap_id = ?")) {
                ps.setLong(1, h.heapId);
                ps.executeUpdate();
            }
            garbage.suspect(h.heapId, h.openLineage.complement());
            return discarded;
        });
        garbage.reclaimLater();
        return discardedLines;
    }

    // ---------------------------------------------------------------------------------------------------
    // Lines: the atomic read/write/delete transaction (figures 11a-c) and the bulk read

    /**
     * One atomic transaction. With a fencing token the view is the open epoch and writes and deletes go
     * into it; with token 0 the view is checkpoint {@code checkpointId} (0: the newest) and only reads are
     * allowed. Reads see the state before this call's writes. Returns the read lines that exist, in
     * request order; absent ones are left out.
     */
    public Map<Long, byte[]> transact(String app, long token, long checkpointId, long[] reads,
                                      List<LineImage> writes, long[] deletes) {
        HeapNames.checkApp(app);
        checkLineIds("read", reads);
        checkLineIds("delete", deletes);
        checkWriteSet(writes, deletes);
        if (writes.isEmpty() && deletes.length == 0) {
            return read(app, token, checkpointId, reads);
        }
        if (token == 0) {
            throw new StoreException(StoreException.Reason.FENCED,
                    "writes and deletes need the heap lease: open app '" + app + "' and pass its fencing token");
        }
        if (reads.length == 0 && bytes(writes) <= WRITE_STATEMENT_BYTES) {
            writeInOneStatement(app, token, writes, deletes);
            return Map.of();
        }
        return inTransaction(c -> {
            HeapRow h = requireLeaseHolder(c, app, token);
            checkLineLengths(h, writes);
            Map<Long, byte[]> result = reads.length == 0 ? Map.of() : readVisible(c, h.heapId, h.openLineage, reads);
            writeVersions(c, h.heapId, h.openEpoch, writes);
            deleteVersions(c, h.heapId, h.openEpoch, deletes);
            return result;
        });
    }

    /** A read-only transaction in one statement: one database round trip. */
    private Map<Long, byte[]> read(String app, long token, long checkpointId, long[] ids) {
        String view = token != 0
                ? "SELECT heap_id, fencing_token, lease_holder, open_lineage AS lineage, 0::bigint AS cp"
                        + " FROM heap WHERE app_name = ?"
                : "SELECT h.heap_id, h.fencing_token, h.lease_holder, coalesce(c.lineage, '{}') AS lineage,"
                        + " c.checkpoint_id AS cp FROM heap h LEFT JOIN LATERAL (SELECT checkpoint_id, lineage"
                        + " FROM checkpoint c WHERE c.heap_id = h.heap_id AND (? = 0 OR c.checkpoint_id = ?)"
                        + " ORDER BY c.checkpoint_id DESC LIMIT 1) c ON true WHERE h.app_name = ?";
        String sql = "WITH h AS (" + view + ") SELECT h.heap_id, h.fencing_token, h.lease_holder, h.cp,"
                + " r.line_id, r.data FROM h LEFT JOIN LATERAL (SELECT DISTINCT ON (v.line_id) v.line_id, v.data"
                + " FROM line_version v WHERE v.heap_id = h.heap_id AND v.line_id = ANY (?) AND v.epoch <@ h.lineage"
                + " ORDER BY v.line_id, v.epoch DESC) r ON true";
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (token == 0) {
                    ps.setLong(i++, checkpointId);
                    ps.setLong(i++, checkpointId);
                }
                ps.setString(i++, app);
                ps.setArray(i, longArray(c, ids));
                Map<Long, byte[]> found = new TreeMap<>();
                boolean heapSeen = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!heapSeen) {
                            heapSeen = true;
                            if (token != 0) {
                                checkToken(app, token, rs.getLong(2), rs.getString(3));
                            } else if (checkpointId != 0 && rs.getObject(4) == null) {
                                throw noSuchCheckpoint(app, checkpointId);
                            }
                        }
                        byte[] data = rs.getBytes(6);
                        if (data != null) {
                            found.put(rs.getLong(5), data);
                        }
                    }
                }
                if (!heapSeen) {
                    throw noSuchApp(app);
                }
                return inRequestOrder(ids, found);
            }
        });
    }

    /**
     * A flush (writes and deletions, no reads) in one auto-committed statement, one database round trip:
     * the heap row is share-locked, the token and every line's length checked, and the versions written
     * only if all checks pass; the answer row says which check failed, if any.
     */
    private void writeInOneStatement(String app, long token, List<LineImage> writes, long[] deletes) {
        withConnection(c -> {
            // FOR SHARE: flushes of one heap may run side by side; a takeover, close or commit (FOR UPDATE)
            // waits for them, so the token checked here cannot change before the versions are in
            try (PreparedStatement ps = c.prepareStatement("WITH h AS (SELECT heap_id, line_size, fencing_token,"
                    + "  lease_holder, open_epoch FROM heap WHERE app_name = ? FOR SHARE),"
                    + " t AS (SELECT * FROM unnest(?::int8[], ?::bytea[]) AS t(id, d)),"
                    + " ok AS (SELECT h.heap_id, h.open_epoch FROM h WHERE h.fencing_token = ? AND h.lease_holder IS NOT NULL"
                    + "  AND NOT EXISTS (SELECT 1 FROM t WHERE octet_length(t.d) <> h.line_size)),"
                    // data-modifying CTEs run whether or not the outer query reads them
                    + " w AS (INSERT INTO line_version (heap_id, line_id, epoch, data)"
                    + "  SELECT ok.heap_id, t.id, ok.open_epoch, t.d FROM ok, t"
                    + "  ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = EXCLUDED.data),"
                    + " x AS (INSERT INTO line_version (heap_id, line_id, epoch, data)"
                    + "  SELECT ok.heap_id, x.id, ok.open_epoch, NULL FROM ok, unnest(?::int8[]) AS x(id)"
                    + "  ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = NULL)"
                    + " SELECT h.line_size, h.fencing_token, h.lease_holder, (SELECT count(*) FROM ok) FROM h")) {
                long[] gone = deletes.clone();
                Arrays.sort(gone);   // one lock order for side-by-side flushes, as in lineArrays
                Array[] lines = lineArrays(c, writes);
                ps.setString(1, app);
                ps.setArray(2, lines[0]);
                ps.setArray(3, lines[1]);
                ps.setLong(4, token);
                ps.setArray(5, longArray(c, gone));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw noSuchApp(app);
                    }
                    if (rs.getLong(4) == 0) {   // nothing was written: say why
                        checkToken(app, token, rs.getLong(2), rs.getString(3));
                        int lineSize = rs.getInt(1);
                        for (LineImage w : writes) {
                            if (w.data().length != lineSize) {
                                throw lineLength(w, lineSize);
                            }
                        }
                        throw new IllegalStateException("a flush to app '" + app + "' wrote nothing for no known reason");
                    }
                }
            }
            return null;
        });
    }

    private static long bytes(List<LineImage> lines) {
        long n = 0;
        for (LineImage l : lines) {
            n += l.data().length;
        }
        return n;
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
        HeapNames.checkApp(app);
        for (LineRange r : ranges) {
            if (r.first() < 0 || r.last() < r.first()) {
                throw StoreException.invalid("bad line range " + r.first() + ".." + r.last()
                        + ": need 0 <= first <= last");
            }
        }
        List<LineRange> sorted = new ArrayList<>(ranges.isEmpty() ? List.of(new LineRange(0, Long.MAX_VALUE)) : ranges);
        sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
        inSnapshot(c -> {
            HeapRow h = requireHeap(c, app, false);
            long heapId = h.heapId;
            Lineage lineage;
            if (token != 0) {
                checkToken(app, token, h.token, h.holder);
                lineage = h.openLineage;
            } else {
                CheckpointRecord cp = checkpointId == 0 ? newestCheckpoint(c, h) : checkpoint(c, h, checkpointId);
                if (cp == null && checkpointId != 0) {
                    throw noSuchCheckpoint(app, checkpointId);
                }
                lineage = cp == null ? Lineage.empty() : lineageOf(c, heapId, cp.checkpointId());
            }
            List<LineImage> chunk = new ArrayList<>();
            long chunkSize = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT line_id, data FROM (SELECT DISTINCT ON (line_id)"
                    + " line_id, data FROM line_version WHERE heap_id = ? AND line_id BETWEEN ? AND ?"
                    + " AND epoch <@ ?::int8multirange ORDER BY line_id, epoch DESC) v WHERE data IS NOT NULL")) {
                ps.setFetchSize(256);
                for (LineRange r : sorted) {
                    ps.setLong(1, heapId);
                    ps.setLong(2, r.first());
                    ps.setLong(3, r.last());
                    ps.setString(4, lineage.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            byte[] data = rs.getBytes(2);
                            chunk.add(new LineImage(rs.getLong(1), data));
                            chunkSize += data.length + 16;
                            if (chunkSize >= chunkBytes) {
                                sink.accept(chunk);
                                chunk = new ArrayList<>();
                                chunkSize = 0;
                            }
                        }
                    }
                }
            }
            if (!chunk.isEmpty()) {
                sink.accept(chunk);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Checkpoints

    /**
     * Flushes: writes lines and deletions into the open epoch, uncommitted (the seed's flushing and pre-flushing).
     * Equivalent to {@link #transact} without reads.
     */
    public void flush(String app, long token, List<LineImage> writes, long[] deletes) {
        transact(app, token, 0, new long[0], writes, deletes);
    }

    /**
     * Commits a checkpoint: the given last lines and deletions, every line already written in the open
     * epoch, and the VM state, in one database transaction. A new open epoch starts from it, and the
     * retention policy prunes older checkpoints.
     */
    public CommitResult commit(String app, long token, String device, byte[] vmState, Map<String, String> metadata,
                               List<LineImage> writes, long[] deletes) {
        checkCommit(app, token, device);
        checkLineIds("delete", deletes);
        checkWriteSet(writes, deletes);
        Garbage garbage = new Garbage();
        CommitResult result = inTransaction(c -> {
            HeapRow h = requireLeaseHolder(c, app, token);
            checkLineLengths(h, writes);
            writeVersions(c, h.heapId, h.openEpoch, writes);
            deleteVersions(c, h.heapId, h.openEpoch, deletes);
            long added;
            long removed;
            long written;
            try (PreparedStatement ps = c.prepareStatement("SELECT"
                    + " count(*) FILTER (WHERE v.data IS NOT NULL AND NOT coalesce(p.present, false)),"
                    + " count(*) FILTER (WHERE v.data IS NULL AND coalesce(p.present, false)), count(*)"
                    + " FROM line_version v LEFT JOIN LATERAL (SELECT w.data IS NOT NULL AS present"
                    + " FROM line_version w WHERE w.heap_id = v.heap_id AND w.line_id = v.line_id AND w.epoch < v.epoch"
                    + " AND w.epoch <@ ?::int8multirange ORDER BY w.epoch DESC LIMIT 1) p ON true"
                    + " WHERE v.heap_id = ? AND v.epoch = ?")) {
                ps.setString(1, h.openLineage.toString());
                ps.setLong(2, h.heapId);
                ps.setLong(3, h.openEpoch);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    added = rs.getLong(1);
                    removed = rs.getLong(2);
                    written = rs.getLong(3);
                }
            }
            long lineCount = h.openBaseLineCount + added - removed;
            Instant now = clock.instant();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoint (heap_id, checkpoint_id,"
                    + " parent_checkpoint_id, lineage, created_at, device, fencing_token, line_count, lines_written,"
                    + " vm_state, metadata) VALUES (?, ?, ?, ?::int8multirange, ?, ?, ?, ?, ?, ?,"
                    + " jsonb_object(?::text[], ?::text[]))")) {
                ps.setLong(1, h.heapId);
                ps.setLong(2, h.openEpoch);
                setNullableLong(ps, 3, h.openBase);
                ps.setString(4, h.openLineage.toString());
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setString(6, device);
                ps.setLong(7, h.token);
                ps.setLong(8, lineCount);
                ps.setLong(9, written);
                ps.setBytes(10, vmState);
                TreeMap<String, String> sortedMeta = new TreeMap<>(metadata);
                ps.setArray(11, c.createArrayOf("text", sortedMeta.keySet().toArray()));
                ps.setArray(12, c.createArrayOf("text", sortedMeta.values().toArray()));
                ps.executeUpdate();
            }
            // the epochs between this one and the next hold no version of this heap: one range goes on
            long next = nextval(c, "epoch_seq");
            Lineage nextLineage = h.openLineage.plus(h.openLineage.upper(), next);
            try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET open_epoch = ?,"
                    + " open_lineage = ?::int8multirange, open_base_checkpoint = ?, open_base_line_count = ?"
                    + " WHERE heap_id = ?")) {
                ps.setLong(1, next);
                ps.setString(2, nextLineage.toString());
                ps.setLong(3, h.openEpoch);
                ps.setLong(4, lineCount);
                ps.setLong(5, h.heapId);
                ps.executeUpdate();
            }
            List<Long> pruned = new ArrayList<>();
            Lineage suspects = Lineage.empty().plus(h.openEpoch, h.openEpoch);   // what this commit shadowed
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM checkpoint WHERE heap_id = ? AND checkpoint_id"
                    + " IN (SELECT checkpoint_id FROM checkpoint WHERE heap_id = ? ORDER BY checkpoint_id DESC OFFSET ?)"
                    + " RETURNING checkpoint_id, lineage::text")) {
                ps.setLong(1, h.heapId);
                ps.setLong(2, h.heapId);
                ps.setInt(3, settings.retain());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pruned.add(rs.getLong(1));
                        suspects = suspects.union(Lineage.parse(rs.getString(2)).complement());
                    }
                }
            }
            garbage.suspect(h.heapId, suspects);
            pruned.sort(null);
            CheckpointRecord cp = new CheckpointRecord(h.openEpoch, h.openBase == null ? 0 : h.openBase, now, device,
                    lineCount, lineCount * h.lineSize, written, vmState.length, Map.copyOf(metadata));
            return new CommitResult(cp, pruned);
        });
        garbage.reclaimLater();
        return result;
    }

    /**
     * Checks the arguments of a {@link #commit} that are known before its lines, touching nothing: a commit
     * stream checks its header with it before it writes any line ahead of the commit.
     */
    public void checkCommit(String app, long token, String device) {
        HeapNames.checkApp(app);
        HeapNames.checkDevice(device);
        if (token == 0) {
            throw new StoreException(StoreException.Reason.FENCED,
                    "a checkpoint needs the heap lease: open app '" + app + "' and pass its fencing token");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Store management

    public List<AppRecord> listApps() {
        return inSnapshot(c -> {
            List<AppRecord> apps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT app_name FROM heap ORDER BY app_name");
                 ResultSet rs = ps.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                for (String name : names) {
                    AppRecord app = appRecord(c, name);
                    if (app != null) {
                        apps.add(app);
                    }
                }
            }
            return apps;
        });
    }

    public AppRecord app(String app) {
        HeapNames.checkApp(app);
        return inSnapshot(c -> {
            AppRecord r = appRecord(c, app);
            if (r == null) {
                throw noSuchApp(app);
            }
            return r;
        });
    }

    /** The app's retained checkpoints, newest first. */
    public List<CheckpointRecord> listCheckpoints(String app) {
        HeapNames.checkApp(app);
        return inSnapshot(c -> {
            return checkpoints(c, requireHeap(c, app, false), 0, Integer.MAX_VALUE);
        });
    }

    /** A checkpoint (0: the newest) with its VM state. */
    public Map.Entry<CheckpointRecord, byte[]> checkpointWithState(String app, long checkpointId) {
        HeapNames.checkApp(app);
        return inSnapshot(c -> {
            HeapRow h = requireHeap(c, app, false);
            CheckpointRecord cp = checkpointId == 0 ? newestCheckpoint(c, h) : checkpoint(c, h, checkpointId);
            if (cp == null) {
                throw noSuchCheckpoint(app, checkpointId);
            }
            return Map.entry(cp, vmState(c, h.heapId, cp.checkpointId()));
        });
    }

    public void deleteCheckpoint(String app, long checkpointId) {
        HeapNames.checkApp(app);
        Garbage garbage = new Garbage();
        inTransaction(c -> {
            HeapRow h = requireHeap(c, app, true);
            Lineage removed;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM checkpoint WHERE heap_id = ? AND checkpoint_id = ? RETURNING lineage::text")) {
                ps.setLong(1, h.heapId);
                ps.setLong(2, checkpointId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw noSuchCheckpoint(app, checkpointId);
                    }
                    removed = Lineage.parse(rs.getString(1));
                }
            }
            garbage.suspect(h.heapId, removed.complement());
            return null;
        });
        garbage.reclaimLater();
    }

    /**
     * Deletes an app's heap: its checkpoints and line versions. The {@link SystemBlobs} blobs it
     * uploaded are kept: they are the store's, shared by every app.
     */
    public void deleteApp(String app, boolean force) {
        HeapNames.checkApp(app);
        inTransaction(c -> {
            HeapRow h = requireHeap(c, app, true);
            if (!force && h.holder != null && h.expiresAt.isAfter(clock.instant())) {
                throw new StoreException(StoreException.Reason.CONFLICT, "app '" + app + "' is leased to device '"
                        + h.holder + "' until " + h.expiresAt + "; stop it first, or delete with force");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM heap WHERE heap_id = ?")) {
                ps.setLong(1, h.heapId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Reclaiming, after the change that made garbage has committed

    /** Collects, inside a transaction, what to reclaim once it has committed. */
    private final class Garbage {
        private long heapId;
        private Lineage suspects;

        void suspect(long heap, Lineage epochs) {
            heapId = heap;
            suspects = suspects == null ? epochs : suspects.union(epochs);
        }

        void reclaimLater() {
            if (suspects != null) {
                long heap = heapId;
                Lineage epochs = suspects;
                reclaimExecutor.execute(() -> reclaim(heap, epochs));
            }
        }
    }

    /**
     * Schedules a reclaim of every heap, examining every line: catches what a lost reclaim left behind
     * (one that failed, or was still queued when a server stopped). A server runs it once at start.
     */
    public void reclaimEverythingLater() {
        List<Long> heaps = withConnection(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT heap_id FROM heap ORDER BY heap_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
        Lineage everything = Lineage.empty().complement();
        for (long heap : heaps) {
            reclaimExecutor.execute(() -> reclaim(heap, everything));
        }
    }

    /**
     * Deletes the versions no view of the heap needs, among the lines with a version in {@code suspects},
     * in one REPEATABLE READ transaction of its own (see {@link VersionReclaimer} for why that is safe).
     * A conflict with a concurrent change is retried; other failures are logged: garbage left behind is
     * reclaimed by {@link #reclaimEverythingLater()} when a server starts.
     */
    void reclaim(long heapId, Lineage suspects) {
        for (int attempt = 1; ; attempt++) {
            try {
                inTransaction(c -> {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    Lineage open = null;
                    try (PreparedStatement ps = c.prepareStatement("SELECT open_lineage::text FROM heap WHERE heap_id = ?")) {
                        ps.setLong(1, heapId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return null;   // the app was deleted meanwhile
                            }
                            open = rs.getString(1) == null ? null : Lineage.parse(rs.getString(1));
                        }
                    }
                    reclaimer.reclaim(c, heapId, open, suspects);
                    return null;
                });
                return;
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.ABORTED || attempt == 3) {
                    log.warn("reclaiming versions of heap {} failed: {}", heapId, e.getMessage());
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("reclaiming versions of heap {} failed", heapId, e);
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Heap rows, tokens and checkpoints

    /** The heap row as this transaction sees it. */
    private record HeapRow(long heapId, int lineSize, long token, String holder, Instant expiresAt,
                           Long openEpoch, Lineage openLineage, Long openBase, long openBaseLineCount,
                           Instant createdAt) {
    }

    private static final String HEAP_COLUMNS = "heap_id, line_size, fencing_token, lease_holder,"
            + " lease_expires_at, open_epoch, open_lineage::text, open_base_checkpoint, open_base_line_count,"
            + " created_at";

    private static HeapRow lockHeap(Connection c, String app) throws SQLException {
        return heapRow(c, app, true);
    }

    private static HeapRow heapRow(Connection c, String app, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + HEAP_COLUMNS + " FROM heap WHERE app_name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp expires = rs.getTimestamp(5);
                return new HeapRow(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                        expires == null ? null : expires.toInstant(), (Long) rs.getObject(6),
                        rs.getString(7) == null ? null : Lineage.parse(rs.getString(7)),
                        (Long) rs.getObject(8), rs.getLong(9), rs.getTimestamp(10).toInstant());
            }
        }
    }

    private static long nextval(Connection c, String sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + sequence + "')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean insertHeap(Connection c, String app, int lineSize) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heap (app_name, line_size, created_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (app_name) DO NOTHING")) {
            ps.setString(1, app);
            ps.setInt(2, lineSize);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            return ps.executeUpdate() == 1;
        }
    }

    /** The heap row, locked for update if asked; NOT_FOUND when there is no such app. */
    private static HeapRow requireHeap(Connection c, String app, boolean forUpdate) throws SQLException {
        HeapRow h = heapRow(c, app, forUpdate);
        if (h == null) {
            throw noSuchApp(app);
        }
        return h;
    }

    /** Locks the heap and checks that {@code token} is the current lease's. */
    private static HeapRow requireLeaseHolder(Connection c, String app, long token) throws SQLException {
        HeapRow h = requireHeap(c, app, true);
        checkToken(app, token, h.token, h.holder);
        return h;
    }

    private static void checkToken(String app, long token, long current, String holder) {
        if (holder == null) {
            throw new StoreException(StoreException.Reason.FENCED, "fencing token " + token
                    + " is stale: no device holds the lease on app '" + app + "' (open the heap again)");
        }
        if (token != current) {
            throw new StoreException(StoreException.Reason.FENCED, "fencing token " + token
                    + " is stale: app '" + app + "' is now leased to device '" + holder + "' under a newer lease"
                    + "; nothing was changed");
        }
    }

    private static final String CHECKPOINT_COLUMNS = "c.checkpoint_id, c.parent_checkpoint_id, c.created_at,"
            + " c.device, c.line_count, c.lines_written, octet_length(c.vm_state),"
            + " ARRAY(SELECT e.key FROM jsonb_each_text(c.metadata) e ORDER BY e.key),"
            + " ARRAY(SELECT e.value FROM jsonb_each_text(c.metadata) e ORDER BY e.key)";

    private static List<CheckpointRecord> checkpoints(Connection c, HeapRow h, long checkpointId, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoint c"
                + " WHERE c.heap_id = ? AND (? = 0 OR c.checkpoint_id = ?) ORDER BY c.checkpoint_id DESC LIMIT ?")) {
            ps.setLong(1, h.heapId);
            ps.setLong(2, checkpointId);
            ps.setLong(3, checkpointId);
            ps.setInt(4, limit);
            List<CheckpointRecord> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(checkpointRecord(rs, 1, h.lineSize));
                }
            }
            return list;
        }
    }

    private static CheckpointRecord checkpointRecord(ResultSet rs, int col, int lineSize) throws SQLException {
        String[] keys = (String[]) rs.getArray(col + 7).getArray();
        String[] values = (String[]) rs.getArray(col + 8).getArray();
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            meta.put(keys[i], values[i]);
        }
        long lineCount = rs.getLong(col + 4);
        return new CheckpointRecord(rs.getLong(col), rs.getLong(col + 1), rs.getTimestamp(col + 2).toInstant(),
                rs.getString(col + 3), lineCount, lineCount * lineSize, rs.getLong(col + 5), rs.getLong(col + 6),
                meta);
    }

    private static CheckpointRecord newestCheckpoint(Connection c, HeapRow h) throws SQLException {
        List<CheckpointRecord> l = checkpoints(c, h, 0, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    private static CheckpointRecord checkpoint(Connection c, HeapRow h, long id) throws SQLException {
        if (id <= 0) {
            return null;
        }
        List<CheckpointRecord> l = checkpoints(c, h, id, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    private static Lineage lineageOf(Connection c, long heapId, long checkpointId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lineage::text FROM checkpoint WHERE heap_id = ? AND checkpoint_id = ?")) {
            ps.setLong(1, heapId);
            ps.setLong(2, checkpointId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Lineage.parse(rs.getString(1));
            }
        }
    }

    private static byte[] vmState(Connection c, long heapId, long checkpointId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT vm_state FROM checkpoint WHERE heap_id = ? AND checkpoint_id = ?")) {
            ps.setLong(1, heapId);
            ps.setLong(2, checkpointId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private AppRecord appRecord(Connection c, String app) throws SQLException {
        HeapRow h = heapRow(c, app, false);
        if (h == null) {
            return null;
        }
        int count;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM checkpoint WHERE heap_id = ?")) {
            ps.setLong(1, h.heapId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getInt(1);
            }
        }
        HeapLease lease = h.holder == null ? null : new HeapLease(h.holder, h.token, h.expiresAt);
        return new AppRecord(app, h.heapId, h.lineSize, h.createdAt, lease, newestCheckpoint(c, h), count);
    }

    // ---------------------------------------------------------------------------------------------------
    // Line versions

    private static Map<Long, byte[]> readVisible(Connection c, long heapId, Lineage lineage, long[] ids)
            throws SQLException {
        Map<Long, byte[]> found = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (line_id) line_id, data FROM line_version"
                + " WHERE heap_id = ? AND line_id = ANY (?) AND epoch <@ ?::int8multirange ORDER BY line_id, epoch DESC")) {
            ps.setLong(1, heapId);
            ps.setArray(2, longArray(c, ids));
            ps.setString(3, lineage.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] data = rs.getBytes(2);
                    if (data != null) {
                        found.put(rs.getLong(1), data);
                    }
                }
            }
        }
        return inRequestOrder(ids, found);
    }

    private static Map<Long, byte[]> inRequestOrder(long[] ids, Map<Long, byte[]> found) {
        Map<Long, byte[]> ordered = new LinkedHashMap<>();
        for (long id : ids) {
            byte[] data = found.get(id);
            if (data != null) {
                ordered.put(id, data);
            }
        }
        return ordered;
    }

    private static void writeVersions(Connection c, long heapId, long epoch, List<LineImage> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO line_version (heap_id, line_id, epoch, data)"
                + " SELECT ?, t.id, ?, t.d FROM unnest(?::int8[], ?::bytea[]) AS t(id, d)"
                + " ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = EXCLUDED.data")) {
            for (List<LineImage> batch : Jdbc.statementBatches(writes, l -> l.data().length, WRITE_STATEMENT_BYTES)) {
                Array[] lines = lineArrays(c, batch);
                ps.setLong(1, heapId);
                ps.setLong(2, epoch);
                ps.setArray(3, lines[0]);
                ps.setArray(4, lines[1]);
                ps.executeUpdate();
            }
        }
    }

    /**
     * The ids ({@code int8[]}) and data ({@code bytea[]}) of lines as two parallel arrays, in ascending id
     * order: writers running side by side then take row locks in one order and cannot deadlock.
     */
    private static Array[] lineArrays(Connection c, List<LineImage> lines) throws SQLException {
        List<LineImage> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingLong(LineImage::lineId));
        Long[] ids = new Long[sorted.size()];
        byte[][] data = new byte[sorted.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sorted.get(i).lineId();
            data[i] = sorted.get(i).data();
        }
        return new Array[] {c.createArrayOf("int8", ids), c.createArrayOf("bytea", data)};
    }

    private static void deleteVersions(Connection c, long heapId, long epoch, long[] deletes) throws SQLException {
        if (deletes.length == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO line_version (heap_id, line_id, epoch, data)"
                + " SELECT ?, t.id, ?, NULL FROM unnest(?::int8[]) AS t(id)"
                + " ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = NULL")) {
            ps.setLong(1, heapId);
            ps.setLong(2, epoch);
            ps.setArray(3, longArray(c, deletes));
            ps.executeUpdate();
        }
    }

    private static long discardEpoch(Connection c, long heapId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM line_version WHERE heap_id = ? AND epoch = ?")) {
            ps.setLong(1, heapId);
            ps.setLong(2, epoch);
            return ps.executeUpdate();
        }
    }

    private static boolean versionsBetween(Connection c, long heapId, long fromEpoch, long toEpochExclusive)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM line_version"
                + " WHERE heap_id = ? AND epoch >= ? AND epoch < ?)")) {
            ps.setLong(1, heapId);
            ps.setLong(2, fromEpoch);
            ps.setLong(3, toEpochExclusive);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Validation

    private static void checkLineSize(int lineSize) {
        if (lineSize < MIN_LINE_SIZE || lineSize > MAX_LINE_SIZE || Integer.bitCount(lineSize) != 1) {
            throw StoreException.invalid("line size must be a power of two from " + MIN_LINE_SIZE + " to "
                    + MAX_LINE_SIZE + " bytes, got " + lineSize);
        }
    }

    private static void checkLineIds(String what, long[] ids) {
        for (long id : ids) {
            if (id < 0) {
                throw StoreException.invalid("bad line id " + id + " to " + what + ": line ids are >= 0");
            }
        }
    }

    private static void checkWriteSet(List<LineImage> writes, long[] deletes) {
        Set<Long> seen = new HashSet<>();
        for (LineImage w : writes) {
            if (w.lineId() < 0) {
                throw StoreException.invalid("bad line id " + w.lineId() + " to write: line ids are >= 0");
            }
            if (!seen.add(w.lineId())) {
                throw StoreException.invalid("line " + w.lineId() + " is written twice in one transaction");
            }
        }
        Set<Long> deleted = new HashSet<>();
        for (long d : deletes) {
            if (seen.contains(d)) {
                throw StoreException.invalid("line " + d + " is both written and deleted in one transaction");
            }
            if (!deleted.add(d)) {
                throw StoreException.invalid("line " + d + " is deleted twice in one transaction");
            }
        }
    }

    private static void checkLineLengths(HeapRow h, Collection<LineImage> writes) {
        for (LineImage w : writes) {
            if (w.data().length != h.lineSize) {
                throw lineLength(w, h.lineSize);
            }
        }
    }

    private static StoreException lineLength(LineImage w, int lineSize) {
        return StoreException.invalid("line " + w.lineId() + " has " + w.data().length + " bytes; this heap's"
                + " lines are " + lineSize + " bytes");
    }

    private Duration leaseLength(long leaseMillis) {
        if (leaseMillis < 0) {
            throw StoreException.invalid("lease length must be positive, got " + leaseMillis + " ms");
        }
        if (leaseMillis == 0) {
            return settings.defaultLease();
        }
        Duration d = Duration.ofMillis(leaseMillis);
        if (d.compareTo(settings.maxLease()) > 0) {
            throw StoreException.invalid("lease length " + leaseMillis + " ms is over the server's maximum of "
                    + settings.maxLease().toMillis() + " ms");
        }
        return d;
    }

    private static StoreException noSuchApp(String app) {
        return StoreException.notFound("no app named '" + app + "'");
    }

    /** NOT_FOUND for checkpoint {@code id} of the app; id 0 means "the newest", i.e. there is none yet. */
    private static StoreException noSuchCheckpoint(String app, long id) {
        return StoreException.notFound(id == 0 ? "app '" + app + "' has no checkpoint yet"
                : "app '" + app + "' has no checkpoint " + id + " (list them with: vheap checkpoints --app " + app + ")");
    }

    // ---------------------------------------------------------------------------------------------------
    // JDBC plumbing

    private <T> T inTransaction(Jdbc.SqlWork<T> work) {
        return Jdbc.inTransaction(dataSource, work);
    }

    private <T> T inSnapshot(Jdbc.SqlWork<T> work) {
        return Jdbc.inSnapshot(dataSource, work);
    }

    private <T> T withConnection(Jdbc.SqlWork<T> work) {
        return Jdbc.withConnection(dataSource, work);
    }

    static Array longArray(Connection c, long[] ids) throws SQLException {
        Long[] boxed = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        return c.createArrayOf("int8", boxed);
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
