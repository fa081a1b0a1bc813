package org.vheap.server.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.vheap.store.LineImage;

/**
 * The SQL of the {@code line_version} table on a line's path: reading a view, writing and deleting lines in
 * the open epoch, streaming a view, counting what an epoch changed, discarding an epoch. (Reclaiming the
 * versions no view needs is {@link VersionReclaimer}'s.)
 *
 * <p>A row is one version of one line: {@code (heap_id, line_id, epoch, data)}, {@code data} NULL for a
 * deletion. A line's content in a view is its version with the highest epoch in the view's
 * {@link Lineage}. Every write of lines under {@link #COPY_BYTES}, a flush's or a commit's, is the one INSERT of
 * {@link #WRITE_SQL}'s shape ({@code INSERT ... SELECT FROM unnest(ids, data) ON CONFLICT DO UPDATE}); a larger
 * one is a binary COPY after deleting the epoch's earlier versions of its lines ({@link VersionCopy}): either
 * way a deletion is a version with NULL data, and writing a line again in the same epoch replaces its version. Lines travel as two
 * parallel arrays in ascending id order (so writers running side by side take row locks in one order and
 * cannot deadlock), at most {@link #STATEMENT_BYTES} of line data per statement.
 *
 * <p>Locks: {@link #flushInOneStatement} and {@link #readInOneStatement} each run as one statement on an
 * auto-committing connection. The flush takes the heap row's share lock itself ({@code FOR SHARE}; a counted
 * flush, which updates the row's {@code open_flushes}, {@code FOR NO KEY UPDATE}); the read
 * takes no lock: it checks the token (or finds the checkpoint) and reads the versions in that one statement's
 * snapshot. Every other method runs in the caller's transaction, which holds the heap row's lock when it
 * writes ({@link #stream} runs in the caller's read-only snapshot).
 */
public final class LineVersions {
    /** Bytes of line data sent in one INSERT statement (public for the store benchmark's JDBC side). */
    public static final int STATEMENT_BYTES = 8 << 20;

    /** Line data from which a write goes by binary COPY ({@link VersionCopy}) rather than INSERT. */
    static final int COPY_BYTES = 1 << 20;

    /**
     * The one INSERT of line versions, from rows {@code (id, d)} of {@code t} into one heap's epoch; a NULL
     * {@code d} is a deletion; the last write of a line in an epoch replaces the one before. The three
     * holes are the heap id, the epoch and the rows' source.
     */
    private static final String INSERT_VERSIONS = "INSERT INTO line_version (heap_id, line_id, epoch, data)"
            + " SELECT %s, t.id, %s, t.d FROM %s ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = EXCLUDED.data";

    /**
     * Writes lines into one epoch of one heap: parameters heap id, epoch, line ids ({@code int8[]}) and
     * their data ({@code bytea[]}, an element NULL for a deletion). The store runs it under the heap row's
     * lock; the store benchmark runs it raw, as the floor under a commit.
     */
    public static final String WRITE_SQL = INSERT_VERSIONS.formatted("?", "?", "unnest(?::int8[], ?::bytea[]) AS t(id, d)");

    /**
     * Reads the given lines of one view: parameters heap id, line ids ({@code int8[]}) and the view's
     * lineage ({@code int8multirange} as text). A line's newest version in the lineage, NULL data if deleted.
     */
    public static final String READ_SQL = "SELECT DISTINCT ON (line_id) line_id, data FROM line_version"
            + " WHERE heap_id = ? AND line_id = ANY (?) AND epoch <@ ?::int8multirange ORDER BY line_id, epoch DESC";

    /**
     * A flush in one auto-committed statement: the heap row is locked ({@code FOR SHARE}: flushes of one heap
     * may run side by side, while a takeover, close or commit, which lock it {@code FOR UPDATE}, wait for them,
     * so the token checked here cannot change before the versions are in; a counted flush locks it
     * {@code FOR NO KEY UPDATE}, since it adds one to {@code open_flushes}); the fencing token, the flushes
     * acknowledged to the caller ({@link HeapLeases#checkFlushes}; -1 passes) and every line's length are
     * checked; only if all pass do {@link #INSERT_VERSIONS} (into the open epoch) and the count run. A counted
     * flush commits asynchronously ({@code synchronous_commit} off for its transaction alone). The answer row
     * says which check failed, if any, and a counted flush's new count. Parameters: heap id, app, line ids, data,
     * token, flushes acknowledged, then the heap id again for each statement of the CTEs that writes (so each names
     * its heap by a value: Citus routes the whole statement to that heap's shard).
     */
    private static final String FLUSH_SQL = "WITH h AS (SELECT heap_id, line_size, fencing_token, lease_holder,"
            + "  open_epoch, open_flushes FROM heap WHERE heap_id = ? AND app_name = ? %s),"
            + " t AS (SELECT * FROM unnest(?::int8[], ?::bytea[]) AS t(id, d)),"
            + " ok AS (SELECT h.heap_id, h.open_epoch FROM h WHERE h.fencing_token = ? AND h.lease_holder IS NOT NULL"
            + "  AND h.open_flushes >= ? AND NOT EXISTS (SELECT 1 FROM t WHERE octet_length(t.d) <> h.line_size)),"
            // a data-modifying CTE runs whether or not the outer query reads it
            + " w AS (" + INSERT_VERSIONS.formatted("?::bigint", "ok.open_epoch", "ok, t") + ")%s"
            + " SELECT h.line_size, h.fencing_token, h.lease_holder, (SELECT count(*) FROM ok), h.open_flushes%s FROM h";
    private static final String FLUSH_DURABLE_SQL = FLUSH_SQL.formatted("FOR SHARE", "", "");
    /** Also counts the flush ({@code n}), answers the new count and turns the disk flush off for the transaction. */
    private static final String FLUSH_COUNTED_SQL = FLUSH_SQL.formatted("FOR NO KEY UPDATE",
            ", n AS (UPDATE heap SET open_flushes = heap.open_flushes + 1 FROM ok WHERE heap.heap_id = ?"
                    + " AND heap.heap_id = ok.heap_id RETURNING heap.open_flushes)",
            ", (SELECT open_flushes FROM n), set_config('synchronous_commit', 'off', true)");

    /**
     * The flush on Citus: one {@code INSERT ... SELECT} from the heap row, locked and checked in its subquery, which
     * Citus pushes down whole to the heap's worker (one task). {@link #FLUSH_SQL}'s data-modifying CTE is split by
     * Citus into steps through the coordinator instead. It answers only how many versions it wrote: none means a
     * check failed, and {@link #flushRouted} reads the row again to say which. Parameters: heap id, app, token,
     * flushes acknowledged, line ids, data, data again (for the length check).
     */
    private static final String FLUSH_ROUTED_SQL = "INSERT INTO line_version (heap_id, line_id, epoch, data)"
            + " SELECT h.heap_id, t.id, h.open_epoch, t.d FROM (SELECT heap_id, open_epoch, line_size FROM heap"
            + " WHERE heap_id = ? AND app_name = ? AND fencing_token = ? AND lease_holder IS NOT NULL"
            + " AND open_flushes >= ? %s) h, unnest(?::int8[], ?::bytea[]) AS t(id, d)"
            + " WHERE NOT EXISTS (SELECT 1 FROM unnest(?::bytea[]) AS x(d) WHERE octet_length(x.d) <> h.line_size)"
            + " ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = EXCLUDED.data";

    private LineVersions() {
    }

    /**
     * A read-only Transact in one statement, one database round trip: the view is the open epoch when
     * {@code token} is given (checked against the lease, and the flushes {@code acknowledged} to the caller, -1
     * for none, against those the store holds: {@link HeapLeases#checkFlushes}), else checkpoint {@code checkpointId} (0: the
     * newest; an empty heap has none and reads nothing). Returns the lines that exist, in request order; {@code null}
     * when heap {@code heapId} is not app {@code app}'s ({@link HeapIds}).
     */
    static Map<Long, byte[]> readInOneStatement(Connection c, long heapId, String app, long token, long checkpointId,
                                                long[] ids, long acknowledged) throws SQLException {
        String view = token != 0
                ? "SELECT heap_id, fencing_token, lease_holder, open_lineage AS lineage, 0::bigint AS cp, open_flushes"
                        + " FROM heap WHERE heap_id = ? AND app_name = ?"
                : "SELECT h.heap_id, h.fencing_token, h.lease_holder, coalesce(c.lineage, '{}') AS lineage,"
                        + " c.checkpoint_id AS cp, 0::bigint AS open_flushes FROM heap h LEFT JOIN LATERAL"
                        + " (SELECT checkpoint_id, lineage FROM checkpoint c WHERE c.heap_id = ?"
                        + " AND (? = 0 OR c.checkpoint_id = ?) ORDER BY c.checkpoint_id DESC LIMIT 1) c ON true"
                        + " WHERE h.heap_id = ? AND h.app_name = ?";
        String sql = "WITH h AS (" + view + ") SELECT h.heap_id, h.fencing_token, h.lease_holder, h.cp,"
                + " r.line_id, r.data, h.open_flushes FROM h LEFT JOIN LATERAL (SELECT DISTINCT ON (v.line_id) v.line_id, v.data"
                + " FROM line_version v WHERE v.heap_id = ? AND v.line_id = ANY (?) AND v.epoch <@ h.lineage"
                + " ORDER BY v.line_id, v.epoch DESC) r ON true";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            // every table named by the heap's id (not through h): Citus routes the statement to its shard
            if (token == 0) {
                ps.setLong(i++, heapId);
                ps.setLong(i++, checkpointId);
                ps.setLong(i++, checkpointId);
            }
            ps.setLong(i++, heapId);
            ps.setString(i++, app);
            ps.setLong(i++, heapId);
            ps.setArray(i, SqlArrays.int8(c, ids));
            Map<Long, byte[]> found = new TreeMap<>();
            boolean heapSeen = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!heapSeen) {
                        heapSeen = true;
                        if (token != 0) {
                            HeapLeases.checkToken(app, token, rs.getLong(2), rs.getString(3));
                            HeapLeases.checkFlushes(app, acknowledged, rs.getLong(7));
                        } else if (checkpointId != 0 && rs.getObject(4) == null) {
                            throw Checkpoints.noSuchCheckpoint(app, checkpointId);
                        }
                    }
                    byte[] data = rs.getBytes(6);
                    if (data != null) {
                        found.put(rs.getLong(5), data);
                    }
                }
            }
            return heapSeen ? inRequestOrder(ids, found) : null;
        }
    }

    /**
     * Lines' versions found by content: for each (line id, SHA-256) pair, the content of a version of that line of
     * the app's heap, in any epoch it still holds (committed, retained or open), whose SHA-256 is that one;
     * pairs without such a version are left out. Parameters: line ids ({@code int8[]}), hashes ({@code bytea[]}),
     * heap id. The line's index narrows it to the line's few versions; {@code sha256()} is PostgreSQL's own.
     */
    static final String VERSIONS_BY_SHA256_SQL = "SELECT DISTINCT ON (v.line_id) v.line_id, v.data FROM line_version v"
            + " JOIN unnest(?::int8[], ?::bytea[]) AS k(id, sha) ON v.line_id = k.id"
            + " WHERE v.heap_id = ? AND v.data IS NOT NULL"
            + " AND sha256(v.data) = k.sha";

    /** {@link #VERSIONS_BY_SHA256_SQL}: by line id, the contents found. */
    static Map<Long, byte[]> versionsBySha256(Connection c, long heapId, long[] ids, byte[][] sha256) throws SQLException {
        Map<Long, byte[]> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(VERSIONS_BY_SHA256_SQL)) {
            ps.setArray(1, SqlArrays.int8(c, ids));
            ps.setArray(2, c.createArrayOf("bytea", sha256));
            ps.setLong(3, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        return found;
    }

    /** The given lines of the view {@code lineage}, those that exist, in request order ({@link #READ_SQL}). */
    static Map<Long, byte[]> readVisible(Connection c, long heapId, Lineage lineage, long[] ids) throws SQLException {
        Map<Long, byte[]> found = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(READ_SQL)) {
            ps.setLong(1, heapId);
            ps.setArray(2, SqlArrays.int8(c, ids));
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

    /**
     * Flushes writes and deletions into the open epoch with {@link #FLUSH_SQL}, on an auto-committing
     * connection: one statement, one round trip, all or nothing. FENCED, FLUSHES_LOST, INVALID_ARGUMENT (a
     * line's length) say why nothing was written.
     *
     * @param acknowledged the lease's flushes the caller was told succeeded; -1: not counted
     * @param counted      count this flush and commit it without waiting for the disk (a device's flush that
     *                     gives {@code acknowledged}); else it is durable when this returns
     * @return the flushes the lease holds with this one if counted, else -1; {@code null} when heap {@code heapId} is
     *         not app {@code app}'s ({@link HeapIds}): nothing was written
     */
    static Long flushInOneStatement(Connection c, long heapId, String app, long token, List<LineImage> writes,
                                    long[] deletes, long acknowledged, boolean counted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(counted ? FLUSH_COUNTED_SQL : FLUSH_DURABLE_SQL)) {
            Array[] lines = lineArrays(c, sortedVersions(writes, deletes));
            ps.setLong(1, heapId);
            ps.setString(2, app);
            ps.setArray(3, lines[0]);
            ps.setArray(4, lines[1]);
            ps.setLong(5, token);
            ps.setLong(6, acknowledged);
            ps.setLong(7, heapId);
            if (counted) {
                ps.setLong(8, heapId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (rs.getLong(4) == 0) {   // nothing was written: say why
                    HeapLeases.checkToken(app, token, rs.getLong(2), rs.getString(3));
                    HeapLeases.checkFlushes(app, acknowledged, rs.getLong(5));
                    StoreArguments.checkLineLengths(rs.getInt(1), writes);
                    throw new IllegalStateException("a flush to app '" + app + "' wrote nothing for no known reason");
                }
                return counted ? rs.getLong(6) : -1L;
            }
        }
    }

    /**
     * A flush as {@link #flushInOneStatement} does it, in statements Citus routes to the heap's worker whole
     * ({@link #FLUSH_ROUTED_SQL}): one for a durable flush, on an auto-committing connection; for a counted one, in
     * the caller's transaction, the insert then the count ({@link HeapLeases#countFlush}). The same refusals, with
     * nothing written.
     *
     * @return as {@link #flushInOneStatement}; {@code null} when heap {@code heapId} is not app {@code app}'s
     */
    static Long flushRouted(Connection c, long heapId, String app, long token, List<LineImage> writes, long[] deletes,
                            long acknowledged, boolean counted) throws SQLException {
        Array[] lines = lineArrays(c, sortedVersions(writes, deletes));
        int written;
        try (PreparedStatement ps = c.prepareStatement(FLUSH_ROUTED_SQL.formatted(counted ? "FOR NO KEY UPDATE"
                : "FOR SHARE"))) {
            ps.setLong(1, heapId);
            ps.setString(2, app);
            ps.setLong(3, token);
            ps.setLong(4, acknowledged);
            ps.setArray(5, lines[0]);
            ps.setArray(6, lines[1]);
            ps.setArray(7, lines[1]);
            written = ps.executeUpdate();
        }
        if (written == 0) {   // nothing was written: say why
            HeapRow h = HeapRow.byId(c, heapId, app);
            if (h == null) {
                return null;
            }
            HeapLeases.checkToken(app, token, h.token(), h.holder());
            HeapLeases.checkFlushes(app, acknowledged, h.openFlushes());
            StoreArguments.checkLineLengths(h.lineSize(), writes);
            throw new IllegalStateException("a flush to app '" + app + "' wrote nothing for no known reason");
        }
        return counted ? HeapLeases.countFlush(c, heapId) : -1L;
    }

    /**
     * Writes lines and deletions into {@code epoch}: from {@link #COPY_BYTES} of line data on by binary COPY
     * ({@link VersionCopy}), below with {@link #WRITE_SQL} in statements of at most {@link #STATEMENT_BYTES} of
     * line data; in the caller's transaction (which holds the heap row's lock and has checked the token and the
     * lines' lengths).
     */
    static void write(Connection c, long heapId, long epoch, List<LineImage> writes, long[] deletes)
            throws SQLException {
        if (writes.isEmpty() && deletes.length == 0) {
            return;
        }
        List<Version> versions = sortedVersions(writes, deletes);
        if (!writesByInsert(writes)) {
            long[] ids = new long[versions.size()];
            byte[][] data = new byte[versions.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = versions.get(i).lineId();
                data[i] = versions.get(i).data();
            }
            VersionCopy.write(c, heapId, epoch, ids, data, () -> insert(c, heapId, epoch, versions));
            return;
        }
        insert(c, heapId, epoch, versions);
    }

    /**
     * Whether these lines are written by {@link #WRITE_SQL} (and a flush of them in one statement, if they fit)
     * rather than by binary COPY ({@link VersionCopy}), which pays from {@link #COPY_BYTES} of line data on.
     */
    static boolean writesByInsert(List<LineImage> writes) {
        long n = 0;
        for (LineImage l : writes) {
            n += l.data().length;
        }
        return n < COPY_BYTES;
    }

    /** {@link #WRITE_SQL} in statements of at most {@link #STATEMENT_BYTES} of line data. */
    private static void insert(Connection c, long heapId, long epoch, List<Version> versions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WRITE_SQL)) {
            for (List<Version> batch : SqlArrays.statementBatches(versions, Version::bytes,
                    STATEMENT_BYTES)) {
                Array[] lines = lineArrays(c, batch);
                ps.setLong(1, heapId);
                ps.setLong(2, epoch);
                ps.setArray(3, lines[0]);
                ps.setArray(4, lines[1]);
                ps.executeUpdate();
            }
        }
    }

    /** Discards every version of {@code epoch} (an open epoch given up); returns how many. */
    static long discardEpoch(Connection c, long heapId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM line_version WHERE heap_id = ? AND epoch = ?")) {
            ps.setLong(1, heapId);
            ps.setLong(2, epoch);
            return ps.executeUpdate();
        }
    }

    /** How many versions (writes and deletions) {@code epoch} holds: an open epoch's size, for its app's quota. */
    static long countEpoch(Connection c, long heapId, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM line_version WHERE heap_id = ? AND epoch = ?")) {
            ps.setLong(1, heapId);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Whether the heap has a version in the epochs {@code [fromEpoch, toEpochExclusive)}. */
    static boolean anyBetween(Connection c, long heapId, long fromEpoch, long toEpochExclusive) throws SQLException {
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

    /** What an open epoch changed against its lineage: lines added, lines removed, versions written. */
    record EpochChanges(long added, long removed, long written) {
    }

    /** Counts what {@code epoch} changed against the rest of {@code lineage} (for a commit's line count). */
    static EpochChanges changes(Connection c, long heapId, long epoch, Lineage lineage) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT"
                + " count(*) FILTER (WHERE v.data IS NOT NULL AND NOT coalesce(p.present, false)),"
                + " count(*) FILTER (WHERE v.data IS NULL AND coalesce(p.present, false)), count(*)"
                + " FROM line_version v LEFT JOIN LATERAL (SELECT w.data IS NOT NULL AS present"
                + " FROM line_version w WHERE w.heap_id = ? AND w.line_id = v.line_id AND w.epoch < v.epoch"
                + " AND w.epoch <@ ?::int8multirange ORDER BY w.epoch DESC LIMIT 1) p ON true"
                + " WHERE v.heap_id = ? AND v.epoch = ?")) {
            ps.setLong(1, heapId);   // both tables by the heap's id: on Citus, one shard
            ps.setString(2, lineage.toString());
            ps.setLong(3, heapId);
            ps.setLong(4, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new EpochChanges(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /**
     * Streams the lines of the view {@code lineage} within {@code ranges} (sorted, first ascending) in
     * ascending id order, in chunks of about {@code chunkBytes}, in the caller's snapshot.
     */
    static void stream(Connection c, long heapId, Lineage lineage, List<PgHeapStore.LineRange> ranges, int chunkBytes,
                       Consumer<List<LineImage>> sink) throws SQLException {
        List<LineImage> chunk = new ArrayList<>();
        long chunkSize = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT line_id, data FROM (SELECT DISTINCT ON (line_id)"
                + " line_id, data FROM line_version WHERE heap_id = ? AND line_id BETWEEN ? AND ?"
                + " AND epoch <@ ?::int8multirange ORDER BY line_id, epoch DESC) v WHERE data IS NOT NULL")) {
            ps.setFetchSize(256);
            for (PgHeapStore.LineRange r : ranges) {
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
    }

    /** One version to write: a line's data, or {@code null} for a deletion. */
    private record Version(long lineId, byte[] data) {
        int bytes() {
            return data == null ? 0 : data.length;
        }
    }

    /** Writes and deletions as one list in ascending id order: one lock order for every writer. */
    private static List<Version> sortedVersions(List<LineImage> writes, long[] deletes) {
        List<Version> all = new ArrayList<>(writes.size() + deletes.length);
        for (LineImage w : writes) {
            all.add(new Version(w.lineId(), w.data()));
        }
        for (long id : deletes) {
            all.add(new Version(id, null));
        }
        all.sort(Comparator.comparingLong(Version::lineId));
        return all;
    }

    /** The ids ({@code int8[]}) and data ({@code bytea[]}, NULL for a deletion) as two parallel arrays. */
    private static Array[] lineArrays(Connection c, List<Version> versions) throws SQLException {
        Long[] ids = new Long[versions.size()];
        byte[][] data = new byte[versions.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = versions.get(i).lineId();
            data[i] = versions.get(i).data();
        }
        return new Array[] {c.createArrayOf("int8", ids), c.createArrayOf("bytea", data)};
    }
}
