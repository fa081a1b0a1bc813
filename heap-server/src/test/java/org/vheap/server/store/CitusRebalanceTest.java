package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * Shards moved while apps run: apps flush and commit without pause while a third worker joins the cluster and Citus's
 * rebalancer moves shards onto it ({@code citus_rebalance_start}, by logical replication). A call may be refused for a
 * moment (the store says UNAVAILABLE or ABORTED, which devices retry); none fails for good, and afterwards every app's
 * newest checkpoint holds exactly what it committed, read through the store from wherever its shard now is. Run twice:
 * with every call through the coordinator, and with the apps' line calls routed to the worker of each heap
 * ({@code --citus-route-to-workers}), which then follows the heaps that moved to the new worker.
 */
class CitusRebalanceTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster("rebalance");

    private static final int LS = 256;
    private static final int APPS = 6;
    private static final int LINES = 40;

    @ParameterizedTest(name = "routed to workers: {0}")
    @ValueSource(booleans = {false, true})
    void shardsMovedToANewWorkerWhileAppsFlushAndCommitLoseNothing(boolean routed) throws Exception {
        CitusWorkerRouting workers = routed ? HeapDatabase.routeToWorkers(CITUS.dataSource(), CITUS.url(), CITUS.user(), "",
                4, java.time.Clock.systemUTC()) : null;
        try {
            if (workers != null) {
                workers.connectAll();
            }
            moveShardsWhileAppsRun(workers);
        } finally {
            if (workers != null) {
                workers.close();
            }
        }
    }

    private void moveShardsWhileAppsRun(CitusWorkerRouting workers) throws Exception {
        PgHeapStore store = new PgHeapStore(CITUS.dataSource(),
                workers != null ? workers : HeapRouting.to(CITUS.dataSource()), new MutableClock(),
                StoreSettings.defaults(), Runnable::run);
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicInteger retried = new AtomicInteger();
        AtomicBoolean rebalancing = new AtomicBoolean();
        AtomicInteger commitsWhileMoving = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> apps = new ArrayList<>();
        List<Map<Long, Integer>> committed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int a = 0; a < APPS; a++) {
            String app = TestHeaps.app("moved");
            Map<Long, Integer> model = new HashMap<>();
            names.add(app);
            committed.add(model);
            long token = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false)).lease().fencingToken();
            apps.add(new Thread(() -> {
                try {
                    Map<Long, Integer> open = new HashMap<>();
                    for (int round = 1; moving.get() || round <= 3; round++) {
                        List<LineImage> writes = new ArrayList<>();
                        for (long id = round % 5; id < LINES; id += 5) {
                            writes.add(new LineImage(id, TestHeaps.line(LS, round)));
                            open.put(id, round);
                        }
                        retrying(retried, () -> {
                            store.flush(app, token, writes, new long[0]);
                            return null;
                        });
                        if (round % 3 == 0) {
                            retrying(retried, () -> store.commit(app, token, "dev", new byte[] {1}, Map.of(), List.of(),
                                    new long[0]));
                            synchronized (model) {
                                model.clear();
                                model.putAll(open);
                            }
                            if (rebalancing.get()) {
                                commitsWhileMoving.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "app-" + a));
        }
        apps.forEach(Thread::start);
        Thread.sleep(1_000);
        int newWorker = CITUS.addWorker();
        int firstAppFrom = -1;
        long started = System.nanoTime();
        try (Connection c = CITUS.coordinator(); Statement s = c.createStatement()) {
            rebalancing.set(true);
            s.execute("SELECT citus_rebalance_start(shard_transfer_mode := 'force_logical')");
            s.execute("SELECT citus_rebalance_wait()");
            if (workers != null) {
                // the rebalancer may have left the apps' shards where they were: move the first app's once more, so
                // that routed calls follow a heap that moved while they run
                try (ResultSet rs = s.executeQuery("SELECT citus_move_shard_placement(p.shardid, '127.0.0.1', p.nodeport,"
                        + " '127.0.0.1', (SELECT nodeport FROM pg_dist_node WHERE groupid <> 0 AND nodeport <> p.nodeport"
                        + " ORDER BY nodeid LIMIT 1), shard_transfer_mode := 'force_logical'), p.nodeport FROM"
                        + " pg_dist_shard_placement p WHERE p.shardid = get_shard_id_for_distribution_column('heap', "
                        + heapIdOf(names.get(0)) + ")")) {
                    rs.next();
                    firstAppFrom = rs.getInt(2);
                }
            }
            rebalancing.set(false);
        }
        long movedMillis = (System.nanoTime() - started) / 1_000_000;
        // routed, the apps go on until their placements were read again (and so reach the moved heap's new worker)
        Thread.sleep(workers != null ? CitusWorkerRouting.TTL.toMillis() + 1_000 : 500);
        moving.set(false);
        for (Thread t : apps) {
            t.join(120_000);
            assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
        }
        assertThat(failures).as("calls that failed for good").isEmpty();
        assertThat(commitsWhileMoving.get()).as("commits while the shards moved").isPositive();

        try (Connection c = CITUS.coordinator(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM citus_shards WHERE nodeport = " + newWorker
                     + " AND table_name::text = 'line_version'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("line_version shards moved to the new worker").isPositive();
        }
        for (int a = 0; a < APPS; a++) {
            Map<Long, Integer> expected = committed.get(a);
            Map<Long, Integer> actual = new HashMap<>();
            store.streamLines(names.get(a), 0, 0, List.of(), 1 << 20, chunk -> chunk.forEach(
                    l -> actual.put(l.lineId(), ((l.data()[0] & 0xff) << 8) | (l.data()[1] & 0xff))));
            assertThat(actual).as("app %d's newest checkpoint", a).isEqualTo(expected).isNotEmpty();
        }
        if (workers != null) {
            // once their placements are read again, every heap is routed to the worker holding it now
            Thread.sleep(CitusWorkerRouting.TTL.toMillis() + 100);
            int onNewWorker = 0;
            for (String app : names) {
                long id = heapIdOf(app);
                int placed;
                try (Connection c = CITUS.coordinator()) {
                    placed = CitusWorkerRoutingTest.placementPort(c, id);
                }
                assertThat(CitusWorkerRoutingTest.portOf(workers.forHeap(id))).as("the worker %s is routed to", app)
                        .isEqualTo(placed);
                if (app.equals(names.get(0))) {
                    assertThat(placed).as("the first app's worker, moved").isNotEqualTo(firstAppFrom);
                }
                onNewWorker += placed == newWorker ? 1 : 0;
            }
            System.out.println("CitusRebalanceTest (routed): " + onNewWorker + " of " + APPS + " apps routed to the new worker;"
                    + " the first app's heap moved from port " + firstAppFrom);
        }
        System.out.println("CitusRebalanceTest" + (workers != null ? " (routed)" : "") + ": the rebalance took " + movedMillis + " ms; apps committed "
                + commitsWhileMoving.get() + " checkpoints meanwhile; calls retried: " + retried.get());
    }

    private static long heapIdOf(String app) throws java.sql.SQLException {
        try (Connection c = CITUS.coordinator()) {
            return HeapIds.idOf(c, app);
        }
    }

    /** A call as a device makes it: repeated while the store says UNAVAILABLE or ABORTED (at most 600 times). */
    private static <T> T retrying(AtomicInteger retried, Callable<T> call) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (StoreException e) {
                boolean transientError = e.reason() == StoreException.Reason.UNAVAILABLE
                        || e.reason() == StoreException.Reason.ABORTED;
                if (!transientError || attempt >= 600) {
                    throw e;
                }
                retried.incrementAndGet();
                Thread.sleep(50);
            }
        }
    }
}
