package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.StoreException;

/**
 * Reclaims line versions that no view needs any more. The views of a heap are its retained checkpoints
 * and its open epoch; a version is needed when it is the newest version of its line within some view's
 * lineage. While an epoch is open, its base (the open lineage without the open epoch) counts as a view
 * too, so what the open epoch shadows stays until it is committed or discarded, and the commit's line
 * count stays exact even if the base checkpoint was deleted meanwhile.
 *
 * <p><b>Safe outside the change that made the garbage.</b> Garbage stays garbage: a new view only ever
 * needs versions an existing view needs (a commit's checkpoint sees what the open epoch sees; a new open
 * epoch sees what its base checkpoint sees, plus versions it writes later), and a lineage is joined over a
 * gap of epochs only when no version lies in it. So a reclaim may run in its own REPEATABLE READ
 * transaction after the change committed, without the heap row's lock, and delete what its snapshot
 * shows to be garbage; versions written after its snapshot are never touched.
 *
 * <p><b>Which lines are examined.</b> Not the whole heap: only lines with a version in a <em>suspect</em>
 * epoch, found through the {@code (heap_id, epoch)} index. When a view R goes away, a version V of line L
 * at epoch e that R needed becomes garbage only if (a) no remaining view contains e, or (b) every
 * remaining view containing e has a newer version W of L; W's epoch cannot lie in R's lineage (R would
 * have seen W, not V). So the suspects are the complement of each removed view's lineage plus the
 * complement of the union of the remaining views. A commit adds its own epoch: the versions it shadows are
 * garbage at once when no retained checkpoint still sees them. A deletion that hides nothing older is
 * dropped too, since an absent line reads the same.
 *
 * <p><b>Cost.</b> Candidates are collected into an array first and handled in bounded chunks, so the cost does not
 * hang on the planner's row estimates (a fresh table has none). For each chunk the keys of its lines' versions are
 * read and the views' needs found here ({@link VersionKeys#unneededBy}): per line, a binary search per view's range,
 * so a heap retaining K checkpoints of lines with K versions each costs K·log K per line, not the K² of joining
 * every view with every version in SQL. What no view needs is deleted by its keys, in the same snapshot.
 *
 * <p><b>When.</b> A change that removes a view (a commit, pruning, takeover, close, checkpoint deletion)
 * names its suspects to a {@link Garbage} inside its transaction; once that transaction has committed, the
 * reclaim runs on the reclaim executor ({@link Garbage#reclaimLater}). A reclaim that fails is logged and
 * left: {@link #reclaimEverythingLater} (run once when a server starts) catches what it left behind.
 */
final class VersionReclaimer {
    private static final Logger log = LoggerFactory.getLogger(VersionReclaimer.class);
    private static final int CHUNK = 2048;
    /** Versions' keys read, and deleted, per round trip: bounds the memory a heap of many versions per line takes. */
    private static final int FETCH = 16_384;

    private final DataSource dataSource;
    private final Executor executor;

    /** @param executor runs the reclaims; {@code Runnable::run} to reclaim before the change's call returns */
    VersionReclaimer(DataSource dataSource, Executor executor) {
        this.dataSource = dataSource;
        this.executor = executor;
    }

    /** Collects, inside one change's transaction, what to reclaim once it has committed. */
    final class Garbage {
        private long heapId;
        private Lineage suspects;

        /** Epochs of heap {@code heap} whose lines may hold garbage once this change has committed. */
        void suspect(long heap, Lineage epochs) {
            heapId = heap;
            suspects = suspects == null ? epochs : suspects.union(epochs);
        }

        /** After the change committed: schedules the reclaim of what it suspected, if anything. */
        void reclaimLater() {
            if (suspects != null) {
                long heap = heapId;
                Lineage epochs = suspects;
                executor.execute(() -> reclaim(heap, epochs));
            }
        }
    }

    Garbage garbage() {
        return new Garbage();
    }

    /**
     * Schedules a reclaim of each of these heaps examining every line: catches what a lost reclaim left
     * behind (one that failed, or was still queued when a server stopped).
     */
    void reclaimEverythingLater(List<Long> heapIds) {
        Lineage everything = Lineage.empty().complement();
        for (long heap : heapIds) {
            executor.execute(() -> reclaim(heap, everything));
        }
    }

    /**
     * Deletes the versions no view of the heap needs, among the lines with a version in {@code suspects},
     * in one REPEATABLE READ transaction of its own (see the class comment for why that is safe). A conflict
     * with a concurrent change is retried; other failures are logged.
     */
    void reclaim(long heapId, Lineage suspects) {
        for (int attempt = 1; ; attempt++) {
            try {
                SqlTransactions.inTransaction(dataSource, c -> {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    Lineage open;
                    try (PreparedStatement ps = c.prepareStatement("SELECT open_lineage::text FROM heap WHERE heap_id = ?")) {
                        ps.setLong(1, heapId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return null;   // the app was deleted meanwhile
                            }
                            open = rs.getString(1) == null ? null : Lineage.parse(rs.getString(1));
                        }
                    }
                    reclaim(c, heapId, open, suspects);
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

    /**
     * The reclaim itself, in the caller's transaction.
     *
     * @param openLineage the open epoch's lineage, or {@code null} when there is none
     * @param suspects    epochs whose lines may hold garbage (see the class comment); the complement of
     *                    the remaining views is added here
     * @return the number of versions deleted
     */
    static long reclaim(Connection c, long heapId, Lineage openLineage, Lineage suspects) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL plan_cache_mode = force_custom_plan");   // arrays of very different sizes
        }
        Set<Lineage> views = new LinkedHashSet<>();   // the open epoch's base is often the newest checkpoint
        if (openLineage != null) {
            views.add(openLineage);
            views.add(openLineage.withoutLast());
        }
        Lineage remaining = openLineage == null ? Lineage.empty() : openLineage;
        try (PreparedStatement ps = c.prepareStatement("SELECT lineage::text FROM checkpoint WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Lineage view = Lineage.parse(rs.getString(1));
                    views.add(view);
                    remaining = remaining.union(view);
                }
            }
        }
        long[] candidates = candidates(c, heapId, suspects.union(remaining.complement()));
        long deleted = 0;
        try (PreparedStatement versions = c.prepareStatement("SELECT line_id, epoch FROM line_version"
                + " WHERE heap_id = ? AND line_id = ANY (?) ORDER BY line_id, epoch");
             PreparedStatement garbage = c.prepareStatement("DELETE FROM line_version WHERE heap_id = ?"
                     + " AND (line_id, epoch) IN (SELECT * FROM unnest(?::int8[], ?::int8[]))");
             PreparedStatement hidingNothing = c.prepareStatement("DELETE FROM line_version d WHERE d.heap_id = ?"
                     + " AND d.line_id = ANY (?) AND d.data IS NULL AND NOT EXISTS (SELECT 1 FROM line_version o"
                     + " WHERE o.heap_id = ? AND o.line_id = d.line_id AND o.epoch < d.epoch)")) {
            versions.setFetchSize(FETCH);   // in the transaction: a cursor, not every version at once
            for (int from = 0; from < candidates.length; from += CHUNK) {
                java.sql.Array chunk = SqlArrays.int8(c,
                        Arrays.copyOfRange(candidates, from, Math.min(candidates.length, from + CHUNK)));
                versions.setLong(1, heapId);
                versions.setArray(2, chunk);
                VersionKeys unneeded = new VersionKeys();
                try (ResultSet rs = versions.executeQuery()) {
                    VersionKeys line = new VersionKeys();
                    while (rs.next()) {
                        if (line.size() > 0 && line.lineId(0) != rs.getLong(1)) {
                            line.unneededBy(views, unneeded);
                            line = new VersionKeys();
                        }
                        line.add(rs.getLong(1), rs.getLong(2));
                    }
                    line.unneededBy(views, unneeded);
                }
                for (int at = 0; at < unneeded.size(); at += FETCH) {
                    int to = Math.min(unneeded.size(), at + FETCH);
                    garbage.setLong(1, heapId);
                    garbage.setArray(2, SqlArrays.int8(c, unneeded.lineIds(at, to)));
                    garbage.setArray(3, SqlArrays.int8(c, unneeded.epochs(at, to)));
                    deleted += garbage.executeUpdate();
                }
                hidingNothing.setLong(1, heapId);
                hidingNothing.setArray(2, chunk);
                hidingNothing.setLong(3, heapId);   // each table by the heap's id: on Citus, one shard
                deleted += hidingNothing.executeUpdate();
            }
        }
        return deleted;
    }

    /** The lines with a version in one of the epochs of {@code examine}, ascending. */
    private static long[] candidates(Connection c, long heapId, Lineage examine) throws SQLException {
        if (examine.isEmpty()) {
            return new long[0];
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT v.line_id"
                + " FROM unnest(?::int8[], ?::int8[]) AS g(lo, hi) JOIN LATERAL (SELECT line_id FROM line_version"
                + " WHERE heap_id = ? AND epoch >= g.lo AND epoch < g.hi) v ON true ORDER BY 1")) {
            ps.setArray(1, SqlArrays.int8(c, examine.lows()));
            ps.setArray(2, SqlArrays.int8(c, examine.highs()));
            ps.setLong(3, heapId);
            long[] ids = new long[256];
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == ids.length) {
                        ids = Arrays.copyOf(ids, n * 2);
                    }
                    ids[n++] = rs.getLong(1);
                }
            }
            return Arrays.copyOf(ids, n);
        }
    }
}
