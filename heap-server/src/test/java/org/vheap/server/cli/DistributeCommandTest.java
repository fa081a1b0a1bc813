package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.server.testing.CliRun;

/**
 * {@code vheap distribute}: a store that grew on one PostgreSQL, whose database then became a Citus coordinator, is
 * moved onto the workers whole. Each refusal on the way (no extension, no worker, a heap server connected) says what
 * to do and changes nothing; afterwards every app resumes from its checkpoint with the same lines, its rows are on a
 * worker, it commits on, and a second run has nothing to do.
 */
class DistributeCommandTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster("distribute");

    private static final int LS = 64;
    private static final String DB = "grown";

    private static Connection connect(int port, String db) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "");
    }

    private static void execute(int port, String db, String... sql) throws Exception {
        try (Connection c = connect(port, db); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private static Map<Long, byte[]> newest(PgHeapStore store, String app) {
        Map<Long, byte[]> lines = new HashMap<>();
        store.streamLines(app, 0, 0, List.of(), 1 << 20, chunk -> chunk.forEach(l -> lines.put(l.lineId(), l.data())));
        return lines;
    }

    @Test
    void aStoreGrownOnOnePostgreSqlMovesOntoTheWorkersWhole() throws Exception {
        List<Integer> ports = CITUS.nodePorts();
        int coordinator = ports.get(0);
        for (int port : ports) {
            execute(port, "postgres", "CREATE DATABASE " + DB);
        }
        for (int port : ports.subList(1, ports.size())) {
            execute(port, DB, "CREATE EXTENSION citus");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + coordinator + "/" + DB;

        // the store grows on one PostgreSQL (no extension yet): three apps, checkpointed
        Map<String, Map<Long, byte[]>> committed = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        try (HeapDatabase db = HeapDatabase.external(url, "postgres", "", 2)) {
            PgHeapStore store = new PgHeapStore(db.dataSource(), Clock.systemUTC(), StoreSettings.defaults(), Runnable::run);
            for (int a = 0; a < 3; a++) {
                String app = TestHeaps.app("grown");
                long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
                Map<Long, byte[]> lines = new HashMap<>();
                for (int round = 1; round <= 3; round++) {
                    for (long id = 0; id < 10; id++) {
                        store.flush(app, token, List.of(new LineImage(id, TestHeaps.line(LS, a * 100 + round))), new long[0]);
                        lines.put(id, TestHeaps.line(LS, a * 100 + round));
                    }
                    store.commit(app, token, "dev", new byte[] {1}, Map.of(), List.of(), new long[0]);
                }
                committed.put(app, lines);
                tokens.put(app, token);
            }
        }

        CliRun noExtension = CliRun.of("distribute", "--db-url", url, "--db-user", "postgres");
        assertThat(noExtension.exit()).isEqualTo(1);
        assertThat(noExtension.err()).contains("vheap distribute: ").contains("has no citus extension")
                .contains("CREATE EXTENSION citus");

        execute(coordinator, DB, "CREATE EXTENSION citus");
        CliRun noWorker = CliRun.of("distribute", "--db-url", url, "--db-user", "postgres");
        assertThat(noWorker.exit()).isEqualTo(1);
        assertThat(noWorker.err()).contains("has no active worker").contains("citus_add_node");

        execute(coordinator, DB, "SELECT citus_set_coordinator_host('127.0.0.1', " + coordinator + ")");
        for (int port : ports.subList(1, ports.size())) {
            execute(coordinator, DB, "SELECT citus_add_node('127.0.0.1', " + port + ")");
        }
        try (HeapDatabase running = HeapDatabase.external(url, "postgres", "", 2)) {
            running.description();
            CliRun serverUp = CliRun.of("distribute", "--db-url", url, "--db-user", "postgres");
            assertThat(serverUp.exit()).isEqualTo(1);
            assertThat(serverUp.err()).contains("connections of heap servers are open").contains("stop every heap server");
        }
        // a heap server routing to the workers of a store not yet distributed is refused, pointing here
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeapDatabase.external(url, "postgres", "", 2, true))
                .hasMessageContaining("the store's tables are not distributed").hasMessageContaining("./vheap distribute");
        try (Connection c = connect(coordinator, DB)) {
            assertThat(single(c, "SELECT count(*) FROM pg_dist_partition")).as("nothing distributed by the refusals").isZero();
        }
        CliRun badUrl = CliRun.of("distribute", "--db-url", "postgres://127.0.0.1/" + DB, "--db-user", "postgres");
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--db-url must be a PostgreSQL JDBC URL");

        CliRun distributed = CliRun.of("distribute", "--db-url", url, "--db-user", "postgres");
        assertThat(distributed.exit()).as(distributed.err()).isZero();
        assertThat(distributed.out()).contains("across 2 workers: 3 apps, ").contains(" line versions now in the workers' shards");

        try (Connection c = connect(coordinator, DB)) {
            assertThat(single(c, "SELECT count(DISTINCT colocationid) FROM pg_dist_partition WHERE logicalrelid::text IN"
                    + " ('heap', 'checkpoint', 'line_version', 'app_token')")).as("co-located").isEqualTo(1);
            assertThat(single(c, "SELECT count(*) FROM pg_dist_partition WHERE partmethod = 'n' AND logicalrelid::text IN"
                    + " ('heap_name', 'system_blob', 'device_token')")).as("reference tables").isEqualTo(3);
            for (String app : committed.keySet()) {
                long heapId = single(c, "SELECT heap_id FROM heap_name WHERE app_name = '" + app + "'");
                long shard = single(c, "SELECT get_shard_id_for_distribution_column('line_version', " + heapId + ")");
                int worker = (int) single(c, "SELECT nodeport FROM citus_shards WHERE shardid = " + shard);
                assertThat(ports.subList(1, ports.size())).contains(worker);
                try (Connection w = connect(worker, DB)) {
                    assertThat(single(w, "SELECT count(*) FROM line_version_" + shard + " WHERE heap_id = " + heapId))
                            .as("%s's versions on its worker", app).isPositive();
                }
            }
        }

        // the apps go on from where they were, on the cluster
        try (HeapDatabase db = HeapDatabase.external(url, "postgres", "", 2)) {
            PgHeapStore store = new PgHeapStore(db.dataSource(), Clock.systemUTC(), StoreSettings.defaults(), Runnable::run);
            for (Map.Entry<String, Map<Long, byte[]>> e : committed.entrySet()) {
                assertThat(newest(store, e.getKey())).as(e.getKey()).containsOnlyKeys(e.getValue().keySet())
                        .allSatisfy((id, data) -> assertThat(data).isEqualTo(e.getValue().get(id)));
                long token = tokens.get(e.getKey());
                store.flush(e.getKey(), token, List.of(new LineImage(3, TestHeaps.line(LS, 999))), new long[0]);
                store.commit(e.getKey(), token, "dev", new byte[] {1}, Map.of(), List.of(), new long[0]);
                assertThat(newest(store, e.getKey()).get(3L)).isEqualTo(TestHeaps.line(LS, 999));
            }
        }

        CliRun again = CliRun.of("distribute", "--db-url", url, "--db-user", "postgres");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("is distributed already (2 workers, 3 apps): nothing to do");
    }
}
