package org.vheap.server.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Reclaims line versions that no view needs any more. The views of a heap are its retained checkpoints
 * and its open epoch; a version is needed when it is the newest version of its line within some view's
 * lineage. Runs inside the caller's transaction, after views went away or a commit shadowed versions.
 *
 * <p><b>Which lines are examined.</b> Not the whole heap: only lines with a version in a <em>suspect</em>
 * epoch, found through the {@code (heap_id, epoch)} index. When a view R goes away, a version V of line L
 * at epoch e that R needed becomes garbage only if (a) no remaining view contains e, or (b) every
 * remaining view containing e has a newer version W of L; W's epoch cannot lie in R's lineage (R would
 * have seen W, not V). So the suspects are the complement of each removed view's lineage plus the
 * complement of the union of the remaining views. A commit adds its own epoch: the versions it shadows
 * become garbage at once when no retained checkpoint still sees them. A deletion that hides nothing older
 * is dropped too, since an absent line reads the same.
 */
final class VersionReclaimer {

    /**
     * @param openLineage the open epoch's lineage after this change, or {@code null} when there is none
     * @param suspects    epochs whose lines may now hold garbage (see the class comment); the complement of
     *                    the remaining views is added here
     * @return the number of versions deleted
     */
    long reclaim(Connection c, long heapId, Lineage openLineage, Lineage suspects) throws SQLException {
        Lineage remaining = openLineage == null ? Lineage.empty() : openLineage;
        try (PreparedStatement ps = c.prepareStatement("SELECT lineage::text FROM checkpoint WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    remaining = remaining.union(Lineage.parse(rs.getString(1)));
                }
            }
        }
        Lineage examine = suspects.union(remaining.complement());
        if (examine.isEmpty()) {
            return 0;
        }
        String open = openLineage == null ? null : openLineage.toString();
        long deleted;
        try (PreparedStatement ps = c.prepareStatement(
                "WITH candidates AS ("
                        + "  SELECT DISTINCT v.line_id FROM unnest(?::int8[], ?::int8[]) AS g(lo, hi)"
                        + "  JOIN LATERAL (SELECT line_id FROM line_version"
                        + "   WHERE heap_id = ? AND epoch >= g.lo AND epoch < g.hi) v ON true),"
                        + " views AS ("
                        + "  SELECT checkpoint_id AS vid, lineage FROM checkpoint WHERE heap_id = ?"
                        + "  UNION ALL SELECT -1, ?::int8multirange WHERE ?::text IS NOT NULL),"
                        + " needed AS ("
                        + "  SELECT DISTINCT ON (w.vid, v.line_id) v.line_id, v.epoch"
                        + "  FROM views w JOIN line_version v ON v.heap_id = ? AND v.epoch <@ w.lineage"
                        + "  WHERE v.line_id IN (SELECT line_id FROM candidates)"
                        + "  ORDER BY w.vid, v.line_id, v.epoch DESC),"
                        + " garbage AS ("
                        + "  DELETE FROM line_version d WHERE d.heap_id = ?"
                        + "   AND d.line_id IN (SELECT line_id FROM candidates)"
                        + "   AND NOT EXISTS (SELECT 1 FROM needed n WHERE n.line_id = d.line_id AND n.epoch = d.epoch)"
                        + "  RETURNING d.line_id)"
                        + " SELECT (SELECT count(*) FROM garbage), ARRAY(SELECT line_id FROM candidates)")) {
            ps.setArray(1, PgHeapStore.longArray(c, examine.lows()));
            ps.setArray(2, PgHeapStore.longArray(c, examine.highs()));
            ps.setLong(3, heapId);
            ps.setLong(4, heapId);
            ps.setString(5, open);
            if (open == null) {
                ps.setNull(6, Types.VARCHAR);
            } else {
                ps.setString(6, open);
            }
            ps.setLong(7, heapId);
            ps.setLong(8, heapId);
            Array candidates;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                deleted = rs.getLong(1);
                candidates = rs.getArray(2);
            }
            // deletions that hide nothing older, among the examined lines (the DELETE above is visible now)
            try (PreparedStatement t = c.prepareStatement("DELETE FROM line_version d WHERE d.heap_id = ?"
                    + " AND d.line_id = ANY (?) AND d.data IS NULL AND NOT EXISTS (SELECT 1 FROM line_version o"
                    + " WHERE o.heap_id = d.heap_id AND o.line_id = d.line_id AND o.epoch < d.epoch)")) {
                t.setLong(1, heapId);
                t.setArray(2, candidates);
                deleted += t.executeUpdate();
            }
        }
        return deleted;
    }
}
