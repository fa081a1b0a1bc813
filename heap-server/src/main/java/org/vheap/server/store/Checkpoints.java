package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vheap.store.StoreException;

/**
 * The {@code checkpoint} rows of a heap: a published epoch with its {@link Lineage} (the epochs it sees),
 * its VM state, line counts and metadata. Publishing inserts one ({@link #insert}) in the commit's
 * transaction; retention prunes the oldest beyond the policy ({@link #prune}) in the same one; an operator
 * deletes one by id ({@link #delete}). Every method runs in the caller's transaction; a removal returns the
 * lineages that went away, which tell {@link VersionReclaimer} where garbage may now lie.
 */
final class Checkpoints {
    private static final String COLUMNS = "c.checkpoint_id, c.parent_checkpoint_id, c.created_at,"
            + " c.device, c.line_count, c.lines_written, octet_length(c.vm_state),"
            + " ARRAY(SELECT e.key FROM jsonb_each_text(c.metadata) e ORDER BY e.key),"
            + " ARRAY(SELECT e.value FROM jsonb_each_text(c.metadata) e ORDER BY e.key), c.pinned_until";

    private Checkpoints() {
    }

    /** What {@link #prune} removed: the checkpoint ids, ascending, and the union of their lineages' complements. */
    record Pruned(List<Long> ids, Lineage suspects) {
    }

    /** The heap's checkpoints, newest first: all of them ({@code checkpointId} 0) or the one with that id. */
    static List<CheckpointRecord> list(Connection c, HeapRow h, long checkpointId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM checkpoint c"
                + " WHERE c.heap_id = ? AND (? = 0 OR c.checkpoint_id = ?) ORDER BY c.checkpoint_id DESC LIMIT ?")) {
            ps.setLong(1, h.heapId());
            ps.setLong(2, checkpointId);
            ps.setLong(3, checkpointId);
            ps.setInt(4, limit);
            List<CheckpointRecord> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(record(rs, h.lineSize()));
                }
            }
            return list;
        }
    }

    /** The newest checkpoint ({@code checkpointId} 0) or the one with that id; {@code null}: none. */
    static CheckpointRecord find(Connection c, HeapRow h, long checkpointId) throws SQLException {
        List<CheckpointRecord> l = list(c, h, checkpointId, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    /** As {@link #find}, NOT_FOUND when there is none. */
    static CheckpointRecord require(Connection c, HeapRow h, String app, long checkpointId) throws SQLException {
        CheckpointRecord cp = find(c, h, checkpointId);
        if (cp == null) {
            throw noSuchCheckpoint(app, checkpointId);
        }
        return cp;
    }

    /**
     * The lineage of the view a reader without the lease sees: checkpoint {@code checkpointId}, or the
     * newest (0); an empty heap's (no checkpoint yet, asked for the newest) is empty.
     */
    static Lineage viewLineage(Connection c, HeapRow h, String app, long checkpointId) throws SQLException {
        CheckpointRecord cp = find(c, h, checkpointId);
        if (cp == null && checkpointId != 0) {
            throw noSuchCheckpoint(app, checkpointId);
        }
        return cp == null ? Lineage.empty() : lineage(c, h.heapId(), cp.checkpointId());
    }

    static Lineage lineage(Connection c, long heapId, long checkpointId) throws SQLException {
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

    static byte[] vmState(Connection c, long heapId, long checkpointId) throws SQLException {
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

    static int count(Connection c, long heapId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM checkpoint WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Publishes the open epoch of {@code h} as checkpoint {@code record}, seeing the open lineage, pinned until
     * {@code record.pinnedUntil()} if that is set; the committing device's older pins of the heap end.
     */
    static void insert(Connection c, HeapRow h, CheckpointRecord record, byte[] vmState) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoint (heap_id, checkpoint_id,"
                + " parent_checkpoint_id, lineage, created_at, device, fencing_token, line_count, lines_written,"
                + " vm_state, metadata, pinned_until) VALUES (?, ?, ?, ?::int8multirange, ?, ?, ?, ?, ?, ?,"
                + " jsonb_object(?::text[], ?::text[]), ?)")) {
            ps.setLong(1, h.heapId());
            ps.setLong(2, record.checkpointId());
            if (h.openBase() == null) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, h.openBase());
            }
            ps.setString(4, h.openLineage().toString());
            ps.setTimestamp(5, Timestamp.from(record.createdAt()));
            ps.setString(6, record.device());
            ps.setLong(7, h.token());
            ps.setLong(8, record.lineCount());
            ps.setLong(9, record.linesWritten());
            ps.setBytes(10, vmState);
            TreeMap<String, String> sortedMeta = new TreeMap<>(record.metadata());
            ps.setArray(11, c.createArrayOf("text", sortedMeta.keySet().toArray()));
            ps.setArray(12, c.createArrayOf("text", sortedMeta.values().toArray()));
            ps.setTimestamp(13, record.pinnedUntil() == null ? null : Timestamp.from(record.pinnedUntil()));
            ps.executeUpdate();
        }
        // the device's newer checkpoint of this app ends the pin of its older ones (pinned or not: an ended app's
        // last checkpoint, or a server whose --copy-pin went to 0, keeps none)
        try (PreparedStatement ps = c.prepareStatement("UPDATE checkpoint SET pinned_until = NULL WHERE heap_id = ?"
                + " AND device = ? AND checkpoint_id <> ? AND pinned_until IS NOT NULL")) {
            ps.setLong(1, h.heapId());
            ps.setString(2, record.device());
            ps.setLong(3, record.checkpointId());
            ps.executeUpdate();
        }
    }

    /**
     * Retention: deletes the heap's checkpoints beyond the newest {@code retain}, except those pinned past
     * {@code now} (kept for a device's copies; one per device, see {@link #insert}), and, pinned or not, those beyond
     * the newest {@code keepAtMost} (the app's quota of checkpoints; {@code Integer.MAX_VALUE}: none).
     */
    static Pruned prune(Connection c, long heapId, int retain, int keepAtMost, java.time.Instant now) throws SQLException {
        List<Long> pruned = new ArrayList<>();
        Lineage suspects = Lineage.empty();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM checkpoint WHERE heap_id = ? AND checkpoint_id IN"
                + " (SELECT checkpoint_id FROM (SELECT checkpoint_id, pinned_until,"
                + " row_number() OVER (ORDER BY checkpoint_id DESC) AS newest FROM checkpoint WHERE heap_id = ?) ranked"
                + " WHERE newest > ? AND (pinned_until IS NULL OR pinned_until <= ? OR newest > ?))"
                + " RETURNING checkpoint_id, lineage")) {
            ps.setLong(1, heapId);
            ps.setLong(2, heapId);
            ps.setInt(3, retain);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setLong(5, keepAtMost);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pruned.add(rs.getLong(1));
                    suspects = suspects.union(Lineage.parse(rs.getString(2)).complement());
                }
            }
        }
        pruned.sort(null);
        return new Pruned(pruned, suspects);
    }

    /** Deletes one checkpoint; returns its lineage. NOT_FOUND when the heap has no such checkpoint. */
    static Lineage delete(Connection c, long heapId, String app, long checkpointId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM checkpoint WHERE heap_id = ? AND checkpoint_id = ? RETURNING lineage")) {
            ps.setLong(1, heapId);
            ps.setLong(2, checkpointId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw noSuchCheckpoint(app, checkpointId);
                }
                return Lineage.parse(rs.getString(1));
            }
        }
    }

    /** NOT_FOUND for checkpoint {@code id} of the app; id 0 means "the newest", i.e. there is none yet. */
    static StoreException noSuchCheckpoint(String app, long id) {
        return StoreException.notFound(id == 0 ? "app '" + app + "' has no checkpoint yet"
                : "app '" + app + "' has no checkpoint " + id + " (list them with: vheap checkpoints --app " + app + ")");
    }

    private static CheckpointRecord record(ResultSet rs, int lineSize) throws SQLException {
        String[] keys = (String[]) rs.getArray(8).getArray();
        String[] values = (String[]) rs.getArray(9).getArray();
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            meta.put(keys[i], values[i]);
        }
        long lineCount = rs.getLong(5);
        Timestamp pinned = rs.getTimestamp(10);
        return new CheckpointRecord(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                rs.getString(4), lineCount, lineCount * lineSize, rs.getLong(6), rs.getLong(7), meta,
                pinned == null ? null : pinned.toInstant());
    }
}
