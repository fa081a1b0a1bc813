package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Reclaims line versions that no view needs any more. The views of a heap are its retained checkpoints
 * and its open epoch; a version is needed when it is the newest version of its line within some view's
 * lineage. Runs inside the caller's transaction, after a view went away.
 *
 * <p>Only lines that can hold garbage are examined: those with more than one version, a deletion, or a
 * version outside every view. A deletion that hides nothing older is dropped too, since an absent line
 * reads the same.
 */
final class VersionReclaimer {

    /**
     * @param openLineage the open epoch's lineage, or {@code null} when there is none (or the caller is
     *                    replacing it and wants only the checkpoints to count)
     * @return the number of versions deleted
     */
    long reclaim(Connection c, long heapId, Lineage openLineage) throws SQLException {
        long deleted;
        try (PreparedStatement ps = c.prepareStatement(
                "WITH views AS ("
                        + "  SELECT checkpoint_id AS vid, lineage FROM checkpoint WHERE heap_id = ?"
                        + "  UNION ALL SELECT -1, ?::int8multirange WHERE ?::text IS NOT NULL),"
                        + " candidates AS ("
                        + "  SELECT v.line_id FROM line_version v WHERE v.heap_id = ? GROUP BY v.line_id"
                        + "  HAVING count(*) > 1 OR bool_or(v.data IS NULL)"
                        + "   OR bool_or(NOT EXISTS (SELECT 1 FROM views w WHERE v.epoch <@ w.lineage))),"
                        + " needed AS ("
                        + "  SELECT DISTINCT ON (w.vid, v.line_id) v.line_id, v.epoch"
                        + "  FROM views w JOIN line_version v ON v.heap_id = ? AND v.epoch <@ w.lineage"
                        + "  WHERE v.line_id IN (SELECT line_id FROM candidates)"
                        + "  ORDER BY w.vid, v.line_id, v.epoch DESC)"
                        + " DELETE FROM line_version d WHERE d.heap_id = ?"
                        + "  AND d.line_id IN (SELECT line_id FROM candidates)"
                        + "  AND NOT EXISTS (SELECT 1 FROM needed n WHERE n.line_id = d.line_id AND n.epoch = d.epoch)")) {
            String open = openLineage == null ? null : openLineage.toString();
            ps.setLong(1, heapId);
            ps.setString(2, open);
            if (open == null) {
                ps.setNull(3, Types.VARCHAR);
            } else {
                ps.setString(3, open);
            }
            ps.setLong(4, heapId);
            ps.setLong(5, heapId);
            ps.setLong(6, heapId);
            deleted = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM line_version t WHERE t.heap_id = ?"
                + " AND t.data IS NULL AND NOT EXISTS (SELECT 1 FROM line_version o"
                + " WHERE o.heap_id = t.heap_id AND o.line_id = t.line_id AND o.epoch < t.epoch)")) {
            ps.setLong(1, heapId);
            deleted += ps.executeUpdate();
        }
        return deleted;
    }
}
