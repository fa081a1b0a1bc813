package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What a store restored from a backup needs before it serves a device: every lease fenced, and the fencing tokens and
 * epochs (which are the checkpoint ids) moved past every one issued before the restore.
 *
 * <p><b>Why.</b> A backup is the store at one moment; devices went on after it. A device that held a lease then still
 * holds its token, and its cache holds lines newer than the restored ones: were it to write on, the next checkpoint
 * would mix the two (torn). Tokens and epochs come from sequences, and a restore sets those back to the moment of the
 * backup: the tokens, epochs and checkpoint ids issued after it would be issued again, to other devices and other
 * checkpoints.
 *
 * <p><b>Contract.</b> In one transaction: both sequences are moved to at least the clock's time in microseconds since
 * 1970 (never backwards); every lease held is given a new token no device has, and expires now, so its holder's next
 * call is FENCED, and any device may open the app again, from its newest checkpoint in the backup (the open epoch the
 * holder had written into is discarded by that open, as after a device's crash). Checkpoints, lines and tokens of the
 * apps are not touched. Running it on a store that was not restored costs the running devices their progress since
 * their last checkpoint, nothing else.
 *
 * <p><b>Risks.</b> The floor holds while the sequences grow by less than one a microsecond (they grow by one per open
 * and per checkpoint) and the clock of the machine running this is not behind the clocks of the ones that ran before.
 * Heap servers must not serve the store while it is restored: they would go on from what they remember.
 */
public final class RestoreFence {
    /** What a fence did: the leases it fenced, and where the sequences start now. */
    public record Outcome(List<String> fencedApps, long tokenFloor, long epochFloor) {
    }

    private RestoreFence() {
    }

    /** Fences the store in {@code dataSource} (see the class's contract). */
    public static Outcome fence(DataSource dataSource, Clock clock) {
        return SqlTransactions.inTransaction(dataSource, c -> fence(c, clock.instant()));
    }

    /** Fences the store in the caller's transaction, at {@code now}. */
    static Outcome fence(Connection c, Instant now) throws SQLException {
        long floor = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000L);
        long tokens = raise(c, "fencing_token_seq", floor);
        long epochs = raise(c, "epoch_seq", floor);
        Map<String, Long> held = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT app_name, heap_id FROM heap WHERE lease_holder IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                held.put(rs.getString(1), rs.getLong(2));
            }
        }
        for (long heapId : held.values()) {
            // a token no device was given: the holder's calls are FENCED, and its lease is free to take at once
            try (PreparedStatement ps = c.prepareStatement("UPDATE heap SET fencing_token = ?, lease_expires_at = ?"
                    + " WHERE heap_id = ? AND lease_holder IS NOT NULL")) {
                ps.setLong(1, HeapLeases.nextFencingToken(c));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setLong(3, heapId);
                ps.executeUpdate();
            }
        }
        return new Outcome(List.copyOf(held.keySet()), tokens, epochs);
    }

    /** Moves {@code sequence} to at least {@code floor}; returns the value the next {@code nextval} exceeds. */
    private static long raise(Connection c, String sequence, long floor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT setval('" + sequence + "', greatest(last_value, ?))"
                + " FROM " + sequence)) {
            ps.setLong(1, floor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
