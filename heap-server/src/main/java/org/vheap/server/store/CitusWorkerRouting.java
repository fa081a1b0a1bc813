package org.vheap.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.StoreException;

/**
 * Each heap routed to the Citus worker that holds its shard ({@code --citus-route-to-workers}): Citus runs a
 * statement sent to a worker that holds the shard locally, without the coordinator's hop and second planning.
 *
 * <p><b>Placements.</b> A heap's shard is asked of the coordinator once ({@code get_shard_id_for_distribution_column};
 * it changes only if the shard is split). Where the {@code heap} table's shards are is read in one query
 * ({@code pg_dist_placement}) and read again when {@link #TTL} has passed since, by the first call after it, while the
 * others go on with what was read before: a shard moved by a rebalance is followed within seconds. A heap goes to the
 * coordinator while its shard is unknown, when its shard is on the coordinator (group 0), when Citus names no active
 * worker for it, and while its worker cannot be connected to. Any node of the cluster reaches any shard, so a stale
 * placement costs time, never correctness.
 *
 * <p><b>Pools.</b> One per worker, made at start for every worker ({@link #connectAll}, which fails the start if one
 * cannot be reached, is not the node it is named as, or has no Citus metadata) and later for a worker that joins; a
 * worker that cannot be connected to then is tried again after {@link #RETRY}, its heaps going through the
 * coordinator meanwhile. Each pool is made as the coordinator's, so a heap server holds up to (1 + workers) x its pool
 * size connections. Closed with this router.
 *
 * <p><b>Risks.</b> A pool made for a worker that later leaves the cluster stays open (idle) until the server stops.
 *
 * <p>Thread-safe. It remembers at most {@value #MAX} heaps' shards and forgets them all when full.
 */
final class CitusWorkerRouting implements HeapRouting, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CitusWorkerRouting.class);
    /** How long where the shards are is trusted before it is read again. */
    static final Duration TTL = Duration.ofSeconds(5);
    /** How long a worker that could not be connected to is left alone. */
    static final Duration RETRY = Duration.ofSeconds(60);
    private static final int MAX = 65_536;
    static final String SHARD_SQL = "SELECT get_shard_id_for_distribution_column('heap', ?)";
    /** Every shard of {@code heap} and its node ({@code host}, {@code port}, group: 0 is the coordinator). */
    static final String SHARDS_SQL = "SELECT p.shardid, n.nodename, n.nodeport, n.groupid FROM pg_dist_placement p"
            + " JOIN pg_dist_node n ON n.groupid = p.groupid JOIN pg_dist_shard s ON s.shardid = p.shardid"
            + " WHERE s.logicalrelid = 'heap'::regclass AND n.noderole = 'primary' AND n.isactive";
    static final String WORKERS_SQL = "SELECT nodename, nodeport, groupid, hasmetadata AND metadatasynced"
            + " FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0 ORDER BY nodeid";

    /** Where the shards of {@code heap} were, as {@code host:port} (absent: the coordinator), when. */
    private record ShardMap(Map<Long, String> nodeByShard, long readAtMillis) {
    }

    private final DataSource coordinator;
    private final Function<String, HikariDataSource> poolFor;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Long> shardByHeap = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> unreachableUntil = new ConcurrentHashMap<>();
    private final ReentrantLock reading = new ReentrantLock();
    private volatile ShardMap shards = new ShardMap(Map.of(), Long.MIN_VALUE / 2);

    /**
     * @param coordinator the store's pool, where placements are read and where heaps go until placed
     * @param poolFor     a new pool for a worker, given as {@code host:port}
     */
    CitusWorkerRouting(DataSource coordinator, Function<String, HikariDataSource> poolFor, Clock clock) {
        this.coordinator = coordinator;
        this.poolFor = poolFor;
        this.clock = clock;
    }

    @Override
    public DataSource forHeap(long heapId) {
        Long shard = shardByHeap.get(heapId);
        try {
            if (shard == null) {
                shard = shardOf(heapId);
                if (shardByHeap.size() >= MAX) {
                    shardByHeap.clear();
                }
                shardByHeap.put(heapId, shard);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot read which Citus shard holds heap {}; its calls go through the coordinator: {}", heapId,
                    e.getMessage());
            return coordinator;
        }
        String node = currentShards().nodeByShard().get(shard);
        return node == null ? coordinator : poolOn(node);
    }

    /** Where the shards are: as last read, read again first by one caller once {@link #TTL} has passed. */
    private ShardMap currentShards() {
        ShardMap known = shards;
        long now = clock.millis();
        if (now - known.readAtMillis() < TTL.toMillis() || !reading.tryLock()) {
            return known;
        }
        try {
            known = shards;
            if (now - known.readAtMillis() < TTL.toMillis()) {
                return known;
            }
            Map<Long, String> nodeByShard = new HashMap<>();
            try (Connection c = coordinator.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(SHARDS_SQL)) {
                while (rs.next()) {
                    if (rs.getInt(4) != 0) {   // a shard on the coordinator is reached through the store's pool
                        nodeByShard.put(rs.getLong(1), hostPort(rs.getString(2), rs.getInt(3)));
                    }
                }
                known = new ShardMap(Map.copyOf(nodeByShard), now);
            } catch (SQLException | RuntimeException e) {
                log.warn("cannot read where the Citus shards of the heaps are; calls go where they went for {} s more: {}",
                        TTL.toSeconds(), e.getMessage());
                known = new ShardMap(known.nodeByShard(), now);
            }
            shards = known;
            return known;
        } finally {
            reading.unlock();
        }
    }

    /** The worker's pool, made now if it is new; the coordinator while the worker cannot be connected to. */
    private DataSource poolOn(String node) {
        HikariDataSource pool = pools.get(node);
        if (pool != null) {
            return pool;
        }
        Long until = unreachableUntil.get(node);
        if (until != null && clock.millis() < until) {
            return coordinator;
        }
        try {
            return pools.computeIfAbsent(node, poolFor);
        } catch (RuntimeException e) {
            unreachableUntil.put(node, clock.millis() + RETRY.toMillis());
            log.warn("cannot connect to the Citus worker {}; its heaps' calls go through the coordinator, tried again in"
                    + " {} s: {}", node, RETRY.toSeconds(), e.getMessage());
            return coordinator;
        }
    }

    private long shardOf(long heapId) throws SQLException {
        try (Connection c = coordinator.getConnection(); PreparedStatement ps = c.prepareStatement(SHARD_SQL)) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Checks that the store is distributed, then connects to every worker Citus lists, making its pool: a worker this
     * server cannot reach as {@code pg_dist_node} names it, one whose name leads to another node, or one without
     * Citus's metadata (which routed statements need) fails here, at start, rather than at a heap's first call.
     */
    void connectAll() {
        record Worker(String node, int group, boolean metadata) {
        }
        List<Worker> workers = new ArrayList<>();
        try (Connection c = coordinator.getConnection(); Statement s = c.createStatement()) {
            if (!CitusDistribution.isDistributed(s)) {
                throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "--citus-route-to-workers: the"
                        + " store's tables are not distributed (the citus extension came after the store's migrations):"
                        + " stop the heap servers and run ./vheap distribute");
            }
            try (ResultSet rs = s.executeQuery(WORKERS_SQL)) {
                while (rs.next()) {
                    workers.add(new Worker(hostPort(rs.getString(1), rs.getInt(2)), rs.getInt(3), rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot list the Citus workers: " + e.getMessage(), e);
        }
        for (Worker worker : workers) {
            String problem = worker.metadata() ? null : "it has no Citus metadata (citus_activate_node or"
                    + " start_metadata_sync_to_node on the coordinator)";
            if (problem == null) {
                try (Connection c = pools.computeIfAbsent(worker.node(), poolFor).getConnection();
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT groupid FROM pg_dist_local_group")) {
                    rs.next();
                    if (rs.getInt(1) != worker.group()) {
                        problem = "the server reached by that name is Citus group " + rs.getInt(1) + ", not the worker's"
                                + " group " + worker.group();
                    }
                } catch (SQLException | RuntimeException e) {
                    problem = "cannot connect to it or read its Citus group: " + e.getMessage();
                }
            }
            if (problem != null) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "--citus-route-to-workers: the Citus worker "
                        + worker.node() + " (as pg_dist_node names it; the heap server must reach every worker by that"
                        + " name): " + problem);
            }
        }
        log.info("faults and flushes routed to the Citus worker of each heap: {} workers ({})", workers.size(),
                String.join(", ", workers.stream().map(Worker::node).toList()));
    }

    /** {@code host:port}, an IPv6 host in brackets as a JDBC URL writes it. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static final String URL_PREFIX = "jdbc:postgresql://";

    /** Refuses a coordinator URL whose host {@link #urlOn} could not replace. */
    static void checkUrl(String coordinatorUrl) {
        if (!coordinatorUrl.startsWith(URL_PREFIX)) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "--citus-route-to-workers needs a --db-url"
                    + " of the form jdbc:postgresql://HOST:PORT/DB, got " + coordinatorUrl);
        }
    }

    /** The coordinator's JDBC URL with its host and port replaced by a worker's (database and parameters kept). */
    static String urlOn(String coordinatorUrl, String hostPort) {
        checkUrl(coordinatorUrl);
        int slash = coordinatorUrl.indexOf('/', URL_PREFIX.length());
        return URL_PREFIX + hostPort + (slash < 0 ? "/" : coordinatorUrl.substring(slash));
    }

    /** The workers a pool was made for, as {@code host:port}. */
    Set<String> workers() {
        return Set.copyOf(pools.keySet());
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
