package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.server.testing.CitusCluster;

/**
 * The store distributed on Citus with every other part real and unchanged: two heap servers ({@code ./vheap server
 * --db-url} the coordinator of a cluster of a coordinator and two workers) behind a gateway, two devices attached
 * through the gateway, each server routing the line calls of each heap to its worker ({@code --citus-route-to-workers}).
 * The counter runs on one device, checkpoints, is migrated mid-run to the other and goes on with
 * no gap or repeat ({@link CounterMigration}); its heap's rows are all on one worker.
 */
class CitusEndToEndTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();

    @TempDir
    Path work;
    private VheapProcesses vheap;

    @BeforeEach
    void setUp() {
        vheap = new VheapProcesses(work);
    }

    @AfterEach
    void tearDown() {
        vheap.close();
    }

    @Test
    void twoHeapServersOnCitusBehindTheGatewayCarryTheCounterThroughAMigrationWithNoGapOrRepeat() throws Exception {
        // both send each heap's faults and flushes to its worker (the compose stack on Citus, in ComposeStackTest,
        // runs its server without, through the coordinator)
        String[] db = {"--db-url", CITUS.url(), "--db-user", CITUS.user(), "--citus-route-to-workers"};
        VheapProcesses.Server first = vheap.server(0, db);
        VheapProcesses.Server second = vheap.server(0, db);
        for (VheapProcesses.Server server : List.of(first, second)) {
            assertThat(server.started().errors() + server.started().output())
                    .contains("Citus").contains("faults and flushes routed to the worker of each heap");
        }
        String gateway = vheap.gateway("--backend", first.address(), "--backend", second.address()).address();
        CounterMigration.run(vheap, gateway, "citus-counter");

        // the app's rows: lines and checkpoints, all in the shards of its heap id, on one worker
        try (Connection c = CITUS.coordinator()) {
            long heapId = single(c, "SELECT heap_id FROM heap_name WHERE app_name = ?", "citus-counter");
            assertThat(single(c, "SELECT count(*) FROM line_version WHERE heap_id = ?", heapId)).as("versions").isPositive();
            assertThat(single(c, "SELECT count(*) FROM checkpoint WHERE heap_id = ?", heapId)).as("checkpoints").isPositive();
            assertThat(single(c, "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE shardid IN"
                    + " (get_shard_id_for_distribution_column('heap', ?::bigint),"
                    + " get_shard_id_for_distribution_column('line_version', ?::bigint),"
                    + " get_shard_id_for_distribution_column('checkpoint', ?::bigint))", heapId, heapId, heapId))
                    .as("workers holding the app's shards").isEqualTo(1);
        }
    }

    private static long single(Connection c, String sql, Object... args) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
