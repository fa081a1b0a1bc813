package org.vheap.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Where the store was last opened ({@code store_identity}): the PostgreSQL cluster's system identifier, the database's
 * oid and the oid of the {@code store_identity} table itself. A logical restore ({@code pg_restore}, or a plain dump
 * through {@code psql}) creates the table anew, so its oid changes even when the store is restored into the database
 * it came from; a restore into another database or cluster changes the others too. Opening a store whose identity
 * changed fences it ({@link RestoreFence}) before anything else is served, and records the new identity, in one
 * transaction under an exclusive lock, so of heap servers starting together one fences and the others find it done.
 *
 * <p>A physical copy ({@code pg_basebackup}, a file-system snapshot), a failover to a streaming replica and a
 * {@code pg_restore --data-only} into the existing tables keep all three: after restoring one of those,
 * {@code ./vheap after-restore} fences. A store moved to a new cluster without a restore ({@code pg_upgrade}) is fenced
 * needlessly: its running devices lose their progress since their last checkpoint, never data. A store whose dump predates the table (schema 9 or
 * older) is taken as it is, and recorded.
 */
final class StoreIdentity {
    /** The three values that tell one store's place from another's. */
    record Identity(long systemIdentifier, long databaseOid, long tableOid) {
    }

    private StoreIdentity() {
    }

    /**
     * Records where the store is; if it was elsewhere before, fences it first and returns what the fence did, else
     * {@code null}.
     */
    static RestoreFence.Outcome check(DataSource dataSource, Clock clock) {
        return SqlTransactions.inTransaction(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE store_identity IN EXCLUSIVE MODE");
            }
            Identity here = current(c);
            Identity recorded = recorded(c);
            if (here.equals(recorded)) {
                return null;
            }
            Instant now = clock.instant();
            RestoreFence.Outcome fenced = recorded == null ? null : RestoreFence.fence(c, now);
            record(c, here, now);
            return fenced;
        });
    }

    /** Where the connection's store is now. */
    static Identity current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT system_identifier FROM pg_control_system()),"
                     + " (SELECT oid FROM pg_database WHERE datname = current_database()),"
                     + " 'store_identity'::regclass::oid")) {
            rs.next();
            return new Identity(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** Where the store was last opened; {@code null} if it has never been recorded. */
    static Identity recorded(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT system_identifier, database_oid, table_oid FROM store_identity")) {
            return rs.next() ? new Identity(rs.getLong(1), rs.getLong(2), rs.getLong(3)) : null;
        }
    }

    private static void record(Connection c, Identity here, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_identity (system_identifier, database_oid,"
                + " table_oid, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET"
                + " system_identifier = excluded.system_identifier, database_oid = excluded.database_oid,"
                + " table_oid = excluded.table_oid, recorded_at = excluded.recorded_at")) {
            ps.setLong(1, here.systemIdentifier());
            ps.setLong(2, here.databaseOid());
            ps.setLong(3, here.tableOid());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }
}
