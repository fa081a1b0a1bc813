package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vheap.server.testing.TestHeaps.line;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;

/**
 * The store's schema as Citus holds it, and the promise the distribution makes: every statement of an app's calls
 * (open, faults, flushes by insert and by COPY, commits with their pruning and reclaiming, a resume from an older
 * checkpoint, close, deletion) runs on the one shard of its heap. The store under test runs on connections where
 * Citus refuses any statement that would run on more than one shard ({@code citus.multi_task_query_log_level =
 * error}), so a call whose statement fans out fails here.
 */
class CitusRoutingTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();

    private static final int LS = 4096;
    private static HikariDataSource oneShardOnly;

    @BeforeAll
    static void pool() {
        CITUS.dataSource();   // migrated: the schema distributed
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(CITUS.url());
        config.setUsername(CITUS.user());
        config.setMaximumPoolSize(4);
        config.addDataSourceProperty("prepareThreshold", "1");   // as the heap server's pool
        config.setConnectionInitSql("SELECT set_config('plan_cache_mode', 'force_custom_plan', false),"
                + " set_config('citus.multi_task_query_log_level', 'error', false)");
        oneShardOnly = new HikariDataSource(config);
    }

    @AfterAll
    static void closePool() {
        oneShardOnly.close();
    }

    private static long versions(long heapId) throws SQLException {
        try (Connection c = oneShardOnly.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM line_version WHERE heap_id = ?")) {
            ps.setLong(1, heapId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void everyPerAppTableIsDistributedByHeapIdWithHeapAndTheStoreWideTablesAreReferenceTables() throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = CITUS.coordinator(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT t.tablename, p.partmethod, p.colocationid,"
                     + " CASE WHEN p.partmethod = 'h' THEN column_to_column_name(p.logicalrelid, p.partkey) END"
                     + " FROM pg_tables t LEFT JOIN pg_dist_partition p ON p.logicalrelid = t.tablename::regclass"
                     + " WHERE t.schemaname = 'public' AND t.tablename <> 'flyway_schema_history'")) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2) + (rs.getString(2) == null ? "" : "/" + rs.getInt(3)
                        + (rs.getString(4) == null ? "" : "/" + rs.getString(4))));
            }
        }
        String colocated = tables.get("heap");
        assertThat(colocated).startsWith("h/").endsWith("/heap_id");
        assertThat(tables).isEqualTo(Map.of(
                "heap", colocated, "checkpoint", colocated, "line_version", colocated, "app_token", colocated,
                "heap_name", tables.get("heap_name"), "system_blob", tables.get("heap_name"),
                "device_token", tables.get("heap_name"),
                "store_identity", "null",     // the coordinator's own: where the store is (StoreIdentity), not distributed
                "app_quota", "null"));        // the coordinator's own too: every call that reads a quota goes there
        assertThat(tables.get("heap_name")).startsWith("n/");
    }

    @Test
    void theTestsConnectionsRefuseAStatementOnEveryShard() {
        assertThatThrownBy(() -> {
            try (Connection c = oneShardOnly.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM line_version").close();
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("multi-task query about to be executed");
    }

    @Test
    void everyStatementOfAnAppsCallsRunsOnTheOneShardOfItsHeap() throws Exception {
        MutableClock clock = new MutableClock();
        PgHeapStore store = new PgHeapStore(oneShardOnly, clock, StoreSettings.defaults().withRetain(2), Runnable::run);
        String app = TestHeaps.app("routed");
        OpenResult o = store.open(new PgHeapStore.OpenRequest(app, "dev-a", true, LS, 0, 0, false));
        long t = o.lease().fencingToken();
        store.flush(app, t, List.of(new LineImage(1, line(LS, 1))), new long[0]);
        assertThat(store.transact(app, t, 0, new long[] {1}, List.of(), new long[0])).containsOnlyKeys(1L);
        store.transact(app, t, 0, new long[] {1}, List.of(new LineImage(2, line(LS, 2))), new long[] {1});
        List<LineImage> many = new ArrayList<>();   // over a megabyte: by COPY
        for (long id = 10; id < 10 + 300; id++) {
            many.add(new LineImage(id, line(LS, (int) id)));
        }
        store.flush(app, t, many, new long[0]);
        long first = store.commit(app, t, "dev-a", new byte[] {1}, Map.of("k", "v"), List.of(), new long[0])
                .checkpoint().checkpointId();
        long[] versions = new long[4];
        for (int i = 0; i < 3; i++) {   // retention 2: the later commits prune and reclaim
            versions[i] = versions(o.heapId());
            store.commit(app, t, "dev-a", new byte[] {2}, Map.of(), many.subList(i * 50, i * 50 + 50),
                    i == 0 ? new long[] {309} : new long[0]);
        }
        versions[3] = versions(o.heapId());
        // the last commit wrote 50 versions and made 50 garbage (lines 60..109 of the first epoch, seen only by the
        // checkpoint it pruned): the reclaim, which logs its failures rather than failing the commit, ran on one shard
        assertThat(versions[3]).as("versions before and after each commit: %s", java.util.Arrays.toString(versions))
                .isEqualTo(versions[2]);
        AppTokens tokens = new AppTokens(oneShardOnly);
        byte[] tokenHash = MessageDigest.getInstance("SHA-256").digest(new byte[] {7});
        tokens.replace(app, tokenHash);
        tokens.replace(app, tokenHash);   // the upsert's update
        assertThat(tokens.lookup(app).tokenSha256()).isEqualTo(tokenHash);
        DeviceTokens devices = new DeviceTokens(oneShardOnly);
        devices.replace("dev-a", tokenHash);
        devices.replace("dev-a", tokenHash);   // the upsert's update
        assertThat(devices.lookup("dev-a")).isEqualTo(tokenHash);
        SystemBlobs blobs = new SystemBlobs(oneShardOnly, clock, 1 << 20);
        byte[] classFile = line(LS, 77);
        byte[] blobHash = MessageDigest.getInstance("SHA-256").digest(classFile);
        assertThat(blobs.put(app, List.of(new SystemBlobs.Blob(blobHash, classFile)))).isEqualTo(1);
        assertThat(blobs.put(app, List.of(new SystemBlobs.Blob(blobHash, classFile)))).isZero();
        assertThat(blobs.get(app, List.of(blobHash)).found()).hasSize(1);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(line(LS, 100));
        assertThat(store.versionsBySha256(app, new long[] {100}, new byte[][] {sha})).containsOnlyKeys(100L);
        assertThat(store.transact(app, 0, 0, new long[] {1, 2, 309}, List.of(), new long[0])).containsOnlyKeys(2L);
        List<CheckpointRecord> kept = store.listCheckpoints(app);
        assertThat(kept).hasSize(2).noneMatch(c -> c.checkpointId() == first);
        assertThat(store.checkpointState(app, 0).vmState()).containsExactly(2);
        assertThat(store.close(app, t)).isGreaterThanOrEqualTo(0);

        OpenResult older = store.open(new PgHeapStore.OpenRequest(app, "dev-b", false, 0, 0,
                kept.get(kept.size() - 1).checkpointId(), true));
        long t2 = older.lease().fencingToken();
        store.renew(app, t2, 30_000);
        List<LineImage> streamed = new ArrayList<>();
        store.streamLines(app, t2, 0, List.of(), 1 << 20, streamed::addAll);
        assertThat(streamed).hasSize(1 + 299);   // lines 2 and 10..308 (309 deleted by the second commit)
        store.deleteCheckpoint(app, kept.get(0).checkpointId());
        assertThat(store.app(app).checkpointCount()).isEqualTo(1);
        store.deleteApp(app, true);
        assertThat(store.listApps()).noneMatch(a -> a.app().equals(app));
    }
}
