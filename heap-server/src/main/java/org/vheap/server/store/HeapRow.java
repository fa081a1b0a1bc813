package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vheap.store.StoreException;

/**
 * An app's {@code heap} row as one transaction sees it: the line size, the heap lease (holder, expiry,
 * fencing token) and the holder's open epoch with its lineage and base checkpoint. Reading it
 * {@code FOR UPDATE} is how a transaction takes the heap's lock (see {@link PgHeapStore}).
 *
 * @param openEpoch         the epoch the lease holder writes into; {@code null} when no device holds the lease
 * @param openLineage       the epochs the holder sees: its base checkpoint's lineage plus the open epoch
 * @param openBase          the checkpoint the open epoch started from; {@code null}: none
 * @param openBaseLineCount the lines of that checkpoint, from which a commit counts its own
 * @param openFlushes       the flushes applied to the open epoch under this lease ({@link HeapLeases#checkFlushes})
 */
record HeapRow(long heapId, int lineSize, long token, String holder, Instant expiresAt, Long openEpoch,
               Lineage openLineage, Long openBase, long openBaseLineCount, Instant createdAt, long openFlushes) {

    private static final String COLUMNS = "heap_id, line_size, fencing_token, lease_holder,"
            + " lease_expires_at, open_epoch, open_lineage::text, open_base_checkpoint, open_base_line_count,"
            + " created_at, open_flushes";

    /** The app's heap row, locked for update if asked; {@code null} when there is no such app. */
    static HeapRow find(Connection c, HeapIds ids, String app, boolean forUpdate) throws SQLException {
        return find(c, ids, app, forUpdate ? " FOR UPDATE" : "");
    }

    /** The app's heap row with a share lock: writers of lines may hold it side by side; null when absent. */
    static HeapRow findShared(Connection c, HeapIds ids, String app) throws SQLException {
        return find(c, ids, app, " FOR SHARE");
    }

    private static HeapRow find(Connection c, HeapIds ids, String app, String lock) throws SQLException {
        return ids.withId(c, app, id -> find(c, id, app, lock));
    }

    /** The heap row of id {@code heapId}, unlocked, if it is app {@code app}'s; {@code null} if not. */
    static HeapRow byId(Connection c, long heapId, String app) throws SQLException {
        return find(c, heapId, app, "");
    }

    /** The heap row of id {@code heapId} if it is app {@code app}'s (a remembered id may be stale: {@link HeapIds}). */
    private static HeapRow find(Connection c, long heapId, String app, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM heap WHERE heap_id = ? AND app_name = ?"
                + lock)) {
            ps.setLong(1, heapId);
            ps.setString(2, app);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp expires = rs.getTimestamp(5);
                return new HeapRow(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                        expires == null ? null : expires.toInstant(), (Long) rs.getObject(6),
                        rs.getString(7) == null ? null : Lineage.parse(rs.getString(7)),
                        (Long) rs.getObject(8), rs.getLong(9), rs.getTimestamp(10).toInstant(), rs.getLong(11));
            }
        }
    }

    /** The app's heap row, locked for update if asked; NOT_FOUND when there is no such app. */
    static HeapRow require(Connection c, HeapIds ids, String app, boolean forUpdate) throws SQLException {
        HeapRow h = find(c, ids, app, forUpdate);
        if (h == null) {
            throw noSuchApp(app);
        }
        return h;
    }

    /**
     * Names a new app and inserts its heap row: its id from {@code heap_heap_id_seq}, the name taken in
     * {@code heap_name} first (its primary key keeps names unique, which the heap table cannot on Citus: a unique
     * constraint there must hold the distribution column). False if another transaction named the app first.
     */
    static boolean insert(Connection c, HeapIds ids, String app, int lineSize, Instant createdAt) throws SQLException {
        long heapId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heap_name (app_name, heap_id)"
                + " VALUES (?, nextval('heap_heap_id_seq')) ON CONFLICT (app_name) DO NOTHING RETURNING heap_id")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                heapId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heap (heap_id, app_name, line_size, created_at)"
                + " VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, heapId);
            ps.setString(2, app);
            ps.setInt(3, lineSize);
            ps.setTimestamp(4, Timestamp.from(createdAt));
            ps.executeUpdate();
        }
        ids.remember(app, heapId);
        return true;
    }

    /** Every heap's id, ascending (from {@code heap_name}: on Citus a reference table, read on the coordinator). */
    static List<Long> allIds(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT heap_id FROM heap_name ORDER BY heap_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static StoreException noSuchApp(String app) {
        return StoreException.notFound("no app named '" + app + "'");
    }
}
