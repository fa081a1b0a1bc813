package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vheap.server.testing.TestHeaps.line;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * {@code --citus-route-to-workers}: each heap's line calls go to the worker that holds its shard, where Citus runs
 * them locally; a shard moved elsewhere is followed once its placement is read again, and a heap routed to a node that
 * no longer holds it still reads and writes its own rows. The whole store suite with routing is
 * {@code CitusRoutedPgHeapStoreTest}.
 */
class CitusWorkerRoutingTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster("routing");
    @RegisterExtension
    static final TestDatabase PLAIN = new TestDatabase();

    private static final int LS = 64;
    private final MutableClock clock = new MutableClock();
    private CitusWorkerRouting workers;

    @AfterEach
    void close() {
        if (workers != null) {
            workers.close();
        }
    }

    private CitusWorkerRouting routing() {
        workers = HeapDatabase.routeToWorkers(CITUS.dataSource(), CITUS.url(), CITUS.user(), "", 2, clock);
        workers.connectAll();
        return workers;
    }

    /** The port of the server a connection of {@code pool} reaches. */
    static int portOf(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The port of the node that Citus's {@code citus_shards} view says holds the heap's shard of {@code line_version}. */
    static int placementPort(Connection coordinator, long heapId) throws SQLException {
        try (PreparedStatement ps = coordinator.prepareStatement("SELECT nodeport FROM citus_shards"
                + " WHERE table_name = 'line_version'::regclass"
                + " AND shardid = get_shard_id_for_distribution_column('line_version', ?::bigint)")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a placement of heap %d", heapId).isTrue();
                return rs.getInt(1);
            }
        }
    }

    private static int placementPort(long heapId) throws SQLException {
        try (Connection c = CITUS.coordinator()) {
            return placementPort(c, heapId);
        }
    }

    private static long heapId(String app) throws SQLException {
        try (Connection c = CITUS.coordinator()) {
            return HeapIds.idOf(c, app);
        }
    }

    @Test
    void eachHeapIsRoutedToTheWorkerHoldingItsShardWhereItsFaultRunsLocally() throws Exception {
        CitusWorkerRouting routing = routing();
        assertThat(routing.workers()).as("a pool per worker, made at start").hasSize(2);
        PgHeapStore store = new PgHeapStore(CITUS.dataSource(), routing, clock, StoreSettings.defaults(), Runnable::run);
        Set<Integer> ports = new HashSet<>();
        for (int a = 0; a < 8; a++) {
            String app = TestHeaps.app("routed");
            long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
            store.flush(app, token, List.of(new LineImage(3, line(LS, a))), new long[0]);
            assertThat(store.transact(app, token, 0, new long[] {3}, List.of(), new long[0]).get(3L)).isEqualTo(line(LS, a));
            long id = heapId(app);
            DataSource pool = routing.forHeap(id);
            assertThat(portOf(pool)).as("the pool of %s", app).isEqualTo(placementPort(id)).isNotEqualTo(CITUS.port());
            ports.add(portOf(pool));
            // on that worker the fault's statement is one task on the worker itself: no hop to another node
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("EXPLAIN " + LineVersions.READ_SQL)) {
                ps.setLong(1, id);
                ps.setArray(2, c.createArrayOf("int8", new Long[] {3L}));
                ps.setString(3, "{[1,100)}");
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertThat(plan).as("the plan on the worker").contains("Task Count: 1")
                        .contains("port=" + portOf(pool));
            }
        }
        assertThat(ports).as("the workers holding the 8 heaps").isNotEmpty().doesNotContain(CITUS.port());
    }

    @Test
    void aWorkerThatCannotBeReachedFailsTheStartNamingIt() {
        CitusWorkerRouting refusing = new CitusWorkerRouting(CITUS.dataSource(), node -> {
            throw new IllegalStateException("no route to " + node);
        }, clock);
        assertThatThrownBy(refusing::connectAll).isInstanceOf(StoreException.class)
                .hasMessageContaining("--citus-route-to-workers: the Citus worker 127.0.0.1:")
                .hasMessageContaining("as pg_dist_node names it").hasMessageContaining("no route to 127.0.0.1:");
        refusing.close();
    }

    @Test
    void aHeapGoesThroughTheCoordinatorWhileItsWorkerCannotBeConnectedToAndItsWorkerIsTriedAgainLater() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CitusWorkerRouting flaky = new CitusWorkerRouting(CITUS.dataSource(), node -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("connection refused: " + node);
        }, clock);
        PgHeapStore store = new PgHeapStore(CITUS.dataSource(), flaky, clock, StoreSettings.defaults(), Runnable::run);
        String app = TestHeaps.app("unreached");
        long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
        store.flush(app, token, List.of(new LineImage(1, line(LS, 1))), new long[0]);
        assertThat(store.transact(app, token, 0, new long[] {1}, List.of(), new long[0])).containsKey(1L);
        assertThat(flaky.forHeap(heapId(app))).as("the coordinator meanwhile").isSameAs(CITUS.dataSource());
        assertThat(attempts).as("one attempt within the retry time").hasValue(1);
        clock.advance(CitusWorkerRouting.RETRY);
        flaky.forHeap(heapId(app));
        assertThat(attempts).as("tried again after it").hasValue(2);
        flaky.close();
    }

    @Test
    void aHeapWhosePlacementCannotBeReadGoesThroughTheCoordinator() throws SQLException {
        // a "coordinator" without Citus: no shard can be named
        CitusWorkerRouting blind = new CitusWorkerRouting(PLAIN.dataSource(), node -> {
            throw new AssertionError("no worker should be asked for");
        }, clock);
        assertThat(blind.forHeap(42)).isSameAs(PLAIN.dataSource());
        blind.close();
    }

    @Test
    void aMovedShardIsFollowedOnceItsPlacementIsReadAgainAndIsReadRightMeanwhile() throws Exception {
        CitusWorkerRouting routing = routing();
        PgHeapStore store = new PgHeapStore(CITUS.dataSource(), routing, clock, StoreSettings.defaults(), Runnable::run);
        String app = TestHeaps.app("moves");
        long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
        store.flush(app, token, List.of(new LineImage(1, line(LS, 1))), new long[0]);
        long id = heapId(app);
        int from = placementPort(id);
        assertThat(portOf(routing.forHeap(id))).isEqualTo(from);

        int to;
        try (Connection c = CITUS.coordinator(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nodeport FROM pg_dist_node WHERE groupid <> 0 AND nodeport <> " + from
                     + " ORDER BY nodeid LIMIT 1")) {
            rs.next();
            to = rs.getInt(1);
        }
        try (Connection c = CITUS.coordinator();
             PreparedStatement ps = c.prepareStatement("SELECT citus_move_shard_placement("
                     + "get_shard_id_for_distribution_column('heap', ?), '127.0.0.1', ?, '127.0.0.1', ?,"
                     + " shard_transfer_mode := 'block_writes')")) {
            ps.setLong(1, id);
            ps.setInt(2, from);
            ps.setInt(3, to);
            ps.execute();
        }
        assertThat(placementPort(id)).as("the heap's shard, moved").isEqualTo(to);

        // within the placement's time the heap still goes to the old worker, which reaches the shard where it is now
        assertThat(portOf(routing.forHeap(id))).isEqualTo(from);
        store.flush(app, token, List.of(new LineImage(2, line(LS, 2))), new long[0]);
        assertThat(store.transact(app, token, 0, new long[] {1, 2}, List.of(), new long[0]))
                .containsOnlyKeys(1L, 2L).containsEntry(2L, line(LS, 2));

        clock.advance(CitusWorkerRouting.TTL.plus(Duration.ofMillis(1)));
        assertThat(portOf(routing.forHeap(id))).as("the heap's pool once its placement is read again").isEqualTo(to);
        store.commit(app, token, "dev", new byte[] {1}, Map.of(), List.of(), new long[0]);
        Map<Long, byte[]> read = new java.util.HashMap<>();
        store.streamLines(app, 0, 0, List.of(), 1 << 20, chunk -> chunk.forEach(l -> read.put(l.lineId(), l.data())));
        assertThat(read).containsOnlyKeys(1L, 2L).containsEntry(1L, line(LS, 1));
    }

    @Test
    void theStoreAsksWhereAHeapGoesForItsLineCallsOnlyOnceItKnowsTheHeap() {
        AtomicInteger asked = new AtomicInteger();
        DataSource db = CITUS.dataSource();
        HeapRouting counting = heapId -> {
            asked.incrementAndGet();
            return db;
        };
        PgHeapStore store = new PgHeapStore(db, counting, clock, StoreSettings.defaults(), Runnable::run);
        String app = TestHeaps.app("asks");
        long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
        assertThat(asked).as("opening (ids from sequences: the coordinator)").hasValue(0);
        store.flush(app, token, List.of(new LineImage(1, line(LS, 1))), new long[0]);
        store.transact(app, token, 0, new long[] {1}, List.of(), new long[0]);
        store.transact(app, token, 0, new long[] {1}, List.of(new LineImage(2, line(LS, 2))), new long[0]);
        store.streamLines(app, token, 0, List.of(), 1 << 20, chunk -> { });
        assertThat(asked).as("a flush, a fault, a read-and-write, a streamed read").hasValue(4);
        store.commit(app, token, "dev", new byte[] {1}, Map.of(), List.of(), new long[0]);
        assertThat(asked).as("a commit (its epoch from a sequence: the coordinator)").hasValue(4);
    }

    @Test
    void routingNeedsACitusCoordinatorAndAUrlWithAHost() throws SQLException {
        String url;
        String user;
        try (Connection c = PLAIN.dataSource().getConnection()) {
            url = c.getMetaData().getURL();
            user = c.getMetaData().getUserName();
        }
        assertThatThrownBy(() -> HeapDatabase.external(url, user, "", 2, true))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("--citus-route-to-workers needs a Citus coordinator")
                .hasMessageContaining("has no citus extension");
        assertThatThrownBy(() -> CitusWorkerRouting.urlOn("jdbc:postgresql:vheap", "w1:5432"))
                .hasMessageContaining("jdbc:postgresql://HOST:PORT/DB");
        assertThat(CitusWorkerRouting.urlOn("jdbc:postgresql://coord:5432/vheap?sslmode=require", "w1:6432"))
                .isEqualTo("jdbc:postgresql://w1:6432/vheap?sslmode=require");
        assertThat(CitusWorkerRouting.hostPort("::1", 5432)).isEqualTo("[::1]:5432");
        assertThat(CitusWorkerRouting.hostPort("w1", 5432)).isEqualTo("w1:5432");
    }
}
