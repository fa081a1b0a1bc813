package org.vheap.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.vheap.store.StoreException;

/**
 * Moves a store that one PostgreSQL holds onto the Citus cluster that PostgreSQL has become the coordinator of
 * ({@code ./vheap distribute}): the store's own distribution ({@code V9__citus_distribution.sql}, which ran before the
 * extension was there and so did nothing) run now, so every per-app table is distributed by heap id and its rows move
 * into the workers' shards, and the store-wide tables become reference tables.
 *
 * <p><b>Contract.</b> Refused, changing nothing, unless: the database has the {@code citus} extension and at least one
 * active worker; no heap server is connected to it (they would run on tables that change under them); the store's
 * schema is current (it is migrated first). A store already distributed is left as it is. The distribution is one
 * transaction (Citus copies each table's rows into its shards, then empties the local table): it happens whole or not.
 *
 * <p><b>Risks.</b> It takes as long as copying the store; heap servers must stay stopped until it returns.
 */
public final class CitusDistribution {
    static final String MIGRATION = "db/migration/V9__citus_distribution.sql";

    /** What a distribution found and did. */
    public record Outcome(boolean wasDistributed, int workers, long apps, long lineVersions) {
    }

    private CitusDistribution() {
    }

    /** Distributes the store at {@code jdbcUrl} (the coordinator) across its workers; see the class's contract. */
    public static Outcome distribute(String jdbcUrl, String user, String password) {
        HeapDatabase.external(jdbcUrl, user, password, 2).close();   // opening it migrates the schema to current
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("ApplicationName", "vheap-distribute");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props); Statement s = c.createStatement()) {
            if (HeapDatabase.citusVersion(c) == null) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "the database at " + jdbcUrl + " has no"
                        + " citus extension: on it, CREATE EXTENSION citus, SELECT citus_set_coordinator_host(...) and"
                        + " SELECT citus_add_node(...) for each worker first (docs/store.md)");
            }
            int workers = (int) count(s, "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND isactive"
                    + " AND groupid <> 0");
            boolean was = isDistributed(s);
            if (!was) {
                if (workers == 0) {
                    throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "the Citus coordinator at " + jdbcUrl
                            + " has no active worker: SELECT citus_add_node('host', port) for each worker first");
                }
                long servers = count(s, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = '" + HeapDatabase.APPLICATION_NAME + "'");
                if (servers > 0) {
                    throw new StoreException(StoreException.Reason.CONFLICT, servers + " connections of heap"
                            + " servers are open to " + jdbcUrl + ": stop every heap server on it first");
                }
                s.execute(migration());
            }
            return new Outcome(was, workers, count(s, "SELECT count(*) FROM heap"),
                    count(s, "SELECT count(*) FROM line_version"));
        } catch (SQLException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot distribute the store at " + jdbcUrl + ": "
                    + e.getMessage(), e);
        }
    }

    /** The store's own distribution: the body of its migration, run again. */
    static String migration() {
        try (InputStream in = CitusDistribution.class.getClassLoader().getResourceAsStream(MIGRATION)) {
            if (in == null) {
                throw new IllegalStateException("no " + MIGRATION + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + MIGRATION, e);
        }
    }

    /** Whether the store's tables are distributed: Citus lists {@code heap} (the migration distributes it first). */
    static boolean isDistributed(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'heap'::regclass")) {
            return rs.next();
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
