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
    static HeapRow find(Connection c, String app, boolean forUpdate) throws SQLException {
        return find(c, app, forUpdate ? " FOR UPDATE" : "");
    }

    /** The app's heap row with a share lock: writers of lines may hold it side by side; null when absent. */
    static HeapRow findShared(Connection c, String app) throws SQLException {
        return find(c, app, " FOR SHARE");
    }

    private static HeapRow find(Connection c, String app, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM heap WHERE app_name = ?" + lock)) {
            ps.setString(1, app);
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
    static HeapRow require(Connection c, String app, boolean forUpdate) throws SQLException {
        HeapRow h = find(c, app, forUpdate);
        if (h == null) {
            throw noSuchApp(app);
        }
        return h;
    }

    /** Inserts a heap row for a new app; false if another transaction inserted it first. */
    static boolean insert(Connection c, String app, int lineSize, Instant createdAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heap (app_name, line_size, created_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (app_name) DO NOTHING")) {
            ps.setString(1, app);
            ps.setInt(2, lineSize);
            ps.setTimestamp(3, Timestamp.from(createdAt));
            return ps.executeUpdate() == 1;
        }
    }

    /** Every heap's id, ascending. */
    static List<Long> allIds(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT heap_id FROM heap ORDER BY heap_id");
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
