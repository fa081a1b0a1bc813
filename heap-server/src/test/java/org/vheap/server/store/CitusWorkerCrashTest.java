package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The worker holding an app's shard is killed (SIGKILL, every process at once) while the app commits without pause,
 * and started again, {@link #CRASHES} times (a crash of the worker's processes; the cluster runs with fsync off, so
 * not a power loss). Each commit rewrites every line of the app with its round's value, so a torn commit would show
 * two values in one checkpoint. While the worker is down the store refuses calls as UNAVAILABLE (a device retries);
 * afterwards every checkpoint is whole (one round's value in every line), every commit the app was told of is there,
 * and the app goes on committing.
 */
class CitusWorkerCrashTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster("crash");

    private static final int LS = 256;
    private static final int LINES = 20;
    /** How many times the worker is killed and started again: {@code -Dvheap.citus.crashes=N} for a longer run. */
    private static final int CRASHES = Integer.getInteger("vheap.citus.crashes", 3);

    @Test
    void aWorkerKilledMidCommitLeavesEveryCheckpointWholeAndNoAcknowledgedOneLost() throws Exception {
        PgHeapStore store = new PgHeapStore(CITUS.dataSource(), new MutableClock(),
                StoreSettings.defaults().withRetain(100_000), Runnable::run);
        String app = TestHeaps.app("crashed");
        OpenResult opened = store.open(new PgHeapStore.OpenRequest(app, "dev", true, LS, 0, 0, false));
        long token = opened.lease().fencingToken();
        int worker;
        try (Connection c = CITUS.coordinator(); PreparedStatement ps = c.prepareStatement("SELECT nodeport FROM"
                + " citus_shards WHERE shardid = get_shard_id_for_distribution_column('line_version', ?)")) {
            ps.setLong(1, opened.heapId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                worker = rs.getInt(1);
            }
        }

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        List<Integer> acknowledgedRounds = new ArrayList<>();
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread committer = new Thread(() -> {
            for (int round = 1; running.get(); round++) {
                List<LineImage> lines = new ArrayList<>();
                for (long id = 0; id < LINES; id++) {
                    lines.add(new LineImage(id, TestHeaps.line(LS, round)));
                }
                try {
                    store.commit(app, token, "dev", new byte[] {1}, Map.of(), lines, new long[0]);
                    synchronized (acknowledgedRounds) {
                        acknowledgedRounds.add(round);
                    }
                    acknowledged.incrementAndGet();
                } catch (StoreException e) {
                    if (e.reason() != StoreException.Reason.UNAVAILABLE && e.reason() != StoreException.Reason.ABORTED) {
                        failures.add(e);
                        return;
                    }
                    refusals.add(e.reason() + ": " + e.getMessage());
                    sleep(50);
                } catch (Throwable t) {
                    failures.add(t);
                    return;
                }
            }
        }, "committer");
        committer.start();
        try {
            awaitCommits(acknowledged, 30, refusals, failures, committer);
            long seed = System.nanoTime();
            System.out.println("CitusWorkerCrashTest: seed " + seed);
            Random random = new Random(seed);
            for (int crash = 1; crash <= CRASHES; crash++) {
                sleep(random.nextInt(50));   // the kill lands anywhere in a commit
                CITUS.kill(worker);
                sleep(500 + random.nextInt(1_500));
                int atRestart = acknowledged.get();
                CITUS.restart(worker);
                awaitCommits(acknowledged, atRestart + 30, refusals, failures, committer);
            }
        } finally {
            running.set(false);
            committer.join(60_000);
        }
        assertThat(committer.isAlive()).as("the committer stopped").isFalse();

        assertThat(failures).as("errors other than UNAVAILABLE or ABORTED").isEmpty();
        assertThat(refusals).as("calls refused while the worker was down").isNotEmpty();
        TreeSet<Integer> published = new TreeSet<>();
        for (CheckpointRecord cp : store.listCheckpoints(app)) {
            Map<Long, Integer> values = new TreeMap<>();
            store.streamLines(app, 0, cp.checkpointId(), List.of(), 1 << 20, chunk -> chunk.forEach(
                    l -> values.put(l.lineId(), ((l.data()[0] & 0xff) << 8) | (l.data()[1] & 0xff))));
            assertThat(values).as("checkpoint %d", cp.checkpointId()).hasSize(LINES);
            assertThat(new TreeSet<>(values.values())).as("checkpoint %d is one round's", cp.checkpointId()).hasSize(1);
            published.add(values.values().iterator().next());
        }
        assertThat(published).as("every acknowledged commit is a checkpoint").containsAll(acknowledgedRounds);
        System.out.println("CitusWorkerCrashTest: " + acknowledgedRounds.size() + " commits acknowledged over " + CRASHES + " crashes, "
                + published.size() + " checkpoints, " + refusals.size() + " calls refused while the worker was down;"
                + " first refusal: " + refusals.peek());
    }

    /**
     * Waits up to 2 minutes for {@code atLeast} acknowledged commits; else fails saying how far it got and why: the
     * error that stopped the committer, or the last refusals, where the committer is, and what every node is doing.
     */
    private static void awaitCommits(AtomicInteger acknowledged, int atLeast, ConcurrentLinkedQueue<String> refusals,
                                     ConcurrentLinkedQueue<Throwable> failures, Thread committer)
            throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (acknowledged.get() < atLeast) {
            if (!failures.isEmpty()) {
                AssertionError stopped = new AssertionError("the committer stopped after " + acknowledged.get()
                        + " acknowledged commits on an error other than UNAVAILABLE or ABORTED: " + failures.peek());
                stopped.initCause(failures.peek());
                throw stopped;
            }
            if (System.nanoTime() > deadline) {
                List<String> last = new ArrayList<>(refusals);
                throw new AssertionError(atLeast + " commits not acknowledged within 2 minutes: " + acknowledged.get()
                        + " were; " + last.size() + " calls refused, the last: "
                        + last.subList(Math.max(0, last.size() - 3), last.size()) + "; the committer at "
                        + Arrays.stream(committer.getStackTrace()).limit(25).map(String::valueOf)
                                .collect(Collectors.joining("\n  ", "\n  ", "")) + CITUS.activity());
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
