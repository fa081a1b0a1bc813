package org.vheap.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vheap.store.StoreException;

/**
 * Each heap routed to the Citus worker that holds its shard ({@code --citus-route-to-workers}): Citus runs a
 * statement sent to a worker that holds the shard locally, without the coordinator's hop and second planning, so a
 * fault or a flush costs one PostgreSQL round trip as on one PostgreSQL.
 *
 * <p><b>Placements.</b> A heap's node is read from Citus's metadata on the coordinator ({@code pg_dist_placement} of
 * the {@code heap} shard that {@code get_shard_id_for_distribution_column} names), remembered for {@link #TTL}, then
 * read again: a shard moved by a rebalance is followed within that time. Until then, and whenever the metadata cannot
 * be read, the heap's statements go to the node they went to, or to the coordinator; any node reaches any shard, so
 * a stale placement costs time, never correctness.
 *
 * <p><b>Pools.</b> One per worker, made the first time a heap is placed there (the coordinator's settings, the
 * worker's host and port as {@code pg_dist_node} names them), closed with this router. A worker that does not answer
 * makes its heaps' calls UNAVAILABLE, as the coordinator would (it holds their only copy).
 *
 * <p>Thread-safe. It remembers at most {@value #MAX} placements and forgets them all when full.
 */
final class CitusWorkerRouting implements HeapRouting, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CitusWorkerRouting.class);
    /** How long a heap's placement is trusted before it is read again. */
    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX = 65_536;
    static final String PLACEMENT_SQL = "SELECT n.nodename, n.nodeport FROM pg_dist_placement p"
            + " JOIN pg_dist_node n ON n.groupid = p.groupid"
            + " WHERE p.shardid = get_shard_id_for_distribution_column('heap', ?)"
            + " AND n.noderole = 'primary' AND n.isactive ORDER BY n.nodeid LIMIT 1";

    private record Placement(DataSource pool, long readAtMillis) {
    }

    private final DataSource coordinator;
    private final Function<String, HikariDataSource> poolFor;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Placement> placements = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, HikariDataSource> pools = new ConcurrentHashMap<>();

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
        long now = clock.millis();
        Placement known = placements.get(heapId);
        if (known != null && now - known.readAtMillis() < TTL.toMillis()) {
            return known.pool();
        }
        DataSource pool = known == null ? coordinator : known.pool();
        try {
            String node = nodeOf(heapId);
            if (node != null) {
                pool = pools.computeIfAbsent(node, poolFor);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot read where heap {} is placed on Citus; its calls go on through {}: {}", heapId,
                    pool == coordinator ? "the coordinator" : "the node they went to", e.getMessage());
        }
        if (placements.size() >= MAX) {
            placements.clear();
        }
        placements.put(heapId, new Placement(pool, now));
        return pool;
    }

    /** {@code host:port} of the worker holding the heap's shard, {@code null} when Citus names none. */
    private String nodeOf(long heapId) throws SQLException {
        try (Connection c = coordinator.getConnection(); PreparedStatement ps = c.prepareStatement(PLACEMENT_SQL)) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? hostPort(rs.getString(1), rs.getInt(2)) : null;
            }
        }
    }

    static final String WORKERS_SQL = "SELECT nodename, nodeport FROM pg_dist_node"
            + " WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0 ORDER BY nodeid";

    /**
     * Connects to every worker Citus lists, making its pool: a worker this server cannot reach as {@code pg_dist_node}
     * names it fails here, at start, rather than at a heap's first call.
     */
    void connectAll() {
        java.util.List<String> nodes = new java.util.ArrayList<>();
        try (Connection c = coordinator.getConnection(); ResultSet rs = c.createStatement().executeQuery(WORKERS_SQL)) {
            while (rs.next()) {
                nodes.add(hostPort(rs.getString(1), rs.getInt(2)));
            }
        } catch (SQLException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot list the Citus workers: " + e.getMessage(), e);
        }
        for (String node : nodes) {
            try (Connection c = pools.computeIfAbsent(node, poolFor).getConnection()) {
                c.isValid(5);
            } catch (SQLException | RuntimeException e) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "--citus-route-to-workers: cannot reach the"
                        + " Citus worker " + node + " (as pg_dist_node names it; the heap server must reach every worker"
                        + " by that name): " + e.getMessage(), e);
            }
        }
        log.info("faults and flushes routed to the Citus worker of each heap: {} workers ({})", nodes.size(),
                String.join(", ", nodes));
    }

    /** {@code host:port}, an IPv6 host in brackets as a JDBC URL writes it. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The coordinator's JDBC URL with its host and port replaced by a worker's (database and parameters kept). */
    static String urlOn(String coordinatorUrl, String hostPort) {
        String prefix = "jdbc:postgresql://";
        if (!coordinatorUrl.startsWith(prefix)) {
            throw new StoreException(StoreException.Reason.INVALID_ARGUMENT, "--citus-route-to-workers needs a --db-url"
                    + " of the form jdbc:postgresql://HOST:PORT/DB, got " + coordinatorUrl);
        }
        int slash = coordinatorUrl.indexOf('/', prefix.length());
        return prefix + hostPort + (slash < 0 ? "/" : coordinatorUrl.substring(slash));
    }

    /** The workers a pool was made for, as {@code host:port}. */
    java.util.Set<String> workers() {
        return java.util.Set.copyOf(pools.keySet());
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
