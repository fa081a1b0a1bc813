package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import org.vheap.store.StoreException;

/**
 * The heap lease on the {@code heap} row: granting it with a new open epoch, extending it, releasing it,
 * moving its open epoch on after a commit, and the fencing checks every change runs. A lease carries a
 * fencing token from {@code fencing_token_seq}, larger than every token granted before it on any heap, so
 * a device that lost its lease (a zombie) is refused by the token it still sends. Every method here runs in
 * the caller's transaction, which holds the heap row's lock ({@link HeapRow#find} {@code FOR UPDATE}).
 */
final class HeapLeases {
    private HeapLeases() {
    }

    /** Locks the app's heap row and checks that {@code token} is its current lease's: FENCED if not. */
    static HeapRow requireHolder(Connection c, HeapIds ids, String app, long token) throws SQLException {
        HeapRow h = HeapRow.require(c, ids, app, true);
        checkToken(app, token, h.token(), h.holder());
        return h;
    }

    /**
     * As {@link #requireHolder}, with a share lock on the heap row: for writers of lines that change nothing in
     * the row, which may then run side by side (a commit's pre-flushes), while a takeover, close or commit, which
     * lock it for update, waits for them.
     */
    static HeapRow requireHolderShared(Connection c, HeapIds ids, String app, long token) throws SQLException {
        HeapRow h = HeapRow.findShared(c, ids, app);
        if (h == null) {
            throw HeapRow.noSuchApp(app);
        }
        checkToken(app, token, h.token(), h.holder());
        return h;
    }

    /** FENCED unless {@code token} is the current lease's ({@code current}, held by {@code holder}). */
    static void checkToken(String app, long token, long current, String holder) {
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

    /**
     * FLUSHES_LOST if the store holds fewer of the lease's flushes ({@code held}) than the caller was told
     * succeeded ({@code acknowledged}; negative: the caller does not count, nothing to check). The count only
     * grows under one lease, by flushes that passed this check, so it falls below what the device saw only when
     * the database lost asynchronously committed flushes in a crash: the open epoch is no longer what the device
     * wrote, and neither reading it nor publishing it as a checkpoint may go on.
     */
    static void checkFlushes(String app, long acknowledged, long held) {
        if (acknowledged > held) {
            throw new StoreException(StoreException.Reason.FLUSHES_LOST, "app '" + app + "' lost flushes: the store"
                    + " holds " + held + " of the " + acknowledged + " flushes this lease was told succeeded (its"
                    + " database stopped before they reached its disk); nothing was changed; resume the app from its"
                    + " last checkpoint");
        }
    }

    /**
     * Counts a flush of the open epoch ({@link #checkFlushes}) and lets the caller's transaction commit without
     * waiting for the write-ahead log's disk flush (the next durable commit, a checkpoint's, makes it durable with
     * everything before it). Returns the flushes the lease holds now.
     */
    static long countFlush(Connection c, long heapId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('synchronous_commit', 'off', true)")) {
            ps.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET open_flushes = open_flushes + 1 WHERE heap_id = ?"
                + " RETURNING open_flushes")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** LEASE_HELD if a device other than {@code device} holds an unexpired lease at {@code now}. */
    static void checkFree(String app, HeapRow h, String device, Instant now) {
        if (h.holder() != null && !h.holder().equals(device) && h.expiresAt().isAfter(now)) {
            throw new StoreException(StoreException.Reason.LEASE_HELD, "app '" + app
                    + "' is leased to device '" + h.holder() + "' until " + h.expiresAt()
                    + "; wait for it to expire or for that device to close it");
        }
    }

    /** Grants {@code lease} with {@code epoch} open on {@code lineage}, started from checkpoint {@code base}. */
    static void grant(Connection c, long heapId, HeapLease lease, long epoch, Lineage lineage, CheckpointRecord base)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET fencing_token = ?, lease_holder = ?,"
                + " lease_expires_at = ?, open_epoch = ?, open_lineage = ?::int8multirange,"
                + " open_base_checkpoint = ?, open_base_line_count = ?, open_flushes = 0 WHERE heap_id = ?")) {
            ps.setLong(1, lease.fencingToken());
            ps.setString(2, lease.holder());
            ps.setTimestamp(3, Timestamp.from(lease.expiresAt()));
            ps.setLong(4, epoch);
            ps.setString(5, lineage.toString());
            if (base == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, base.checkpointId());
            }
            ps.setLong(7, base == null ? 0 : base.lineCount());
            ps.setLong(8, heapId);
            ps.executeUpdate();
        }
    }

    static void extend(Connection c, long heapId, Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET lease_expires_at = ? WHERE heap_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(expiresAt));
            ps.setLong(2, heapId);
            ps.executeUpdate();
        }
    }

    /** Releases the lease and forgets the open epoch (its versions are the caller's to discard). */
    static void release(Connection c, long heapId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET lease_holder = NULL, lease_expires_at = NULL,"
                + " open_epoch = NULL, open_lineage = NULL, open_base_checkpoint = NULL,"
                + " open_base_line_count = NULL WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            ps.executeUpdate();
        }
    }

    /** After a commit of checkpoint {@code base}: the lease goes on with {@code epoch} open on {@code lineage}. */
    static void advance(Connection c, long heapId, long epoch, Lineage lineage, long base, long baseLineCount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET open_epoch = ?,"
                + " open_lineage = ?::int8multirange, open_base_checkpoint = ?, open_base_line_count = ?"
                + " WHERE heap_id = ?")) {
            ps.setLong(1, epoch);
            ps.setString(2, lineage.toString());
            ps.setLong(3, base);
            ps.setLong(4, baseLineCount);
            ps.setLong(5, heapId);
            ps.executeUpdate();
        }
    }

    /** A new epoch, larger than every epoch before it on any heap. */
    static long nextEpoch(Connection c) throws SQLException {
        return nextval(c, "epoch_seq");
    }

    /** A new fencing token, larger than every token before it on any heap. */
    static long nextFencingToken(Connection c) throws SQLException {
        return nextval(c, "fencing_token_seq");
    }

    private static long nextval(Connection c, String sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + sequence + "')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
