package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vheap.server.testing.TestHeaps.line;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * The apps' quotas on a real PostgreSQL: a flush or commit that would take an app over its lines or bytes is refused
 * QUOTA_EXCEEDED, naming the quota, and writes nothing; a commit prunes beyond the quota of checkpoints, pinned or not;
 * an app takes its own quota, else the default. (Calls per second: {@code grpc.CallRatesTest}.)
 */
class AppQuotasTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final int LS = 64;
    private static final long[] NONE = new long[0];

    private final MutableClock clock = new MutableClock();
    private PgHeapStore store;

    @BeforeEach
    void setUp() {
        store = newStore(StoreSettings.defaults());
    }

    private PgHeapStore newStore(StoreSettings settings) {
        return new PgHeapStore(DB.dataSource(), clock, settings, Runnable::run);
    }

    private long open(String app) {
        return open(app, "dev-q");
    }

    private long open(String app, String device) {
        return store.open(new PgHeapStore.OpenRequest(app, device, true, LS, 0, 0, false)).lease().fencingToken();
    }

    private static List<LineImage> lines(long first, long count, int value) {
        return LongStream.range(first, first + count).mapToObj(id -> new LineImage(id, line(LS, value))).toList();
    }

    private long commit(String app, long token, byte[] vmState, List<LineImage> writes) {
        return store.commit(app, token, "dev-q", vmState, Map.of(), writes, NONE).checkpoint().checkpointId();
    }

    private static void assertOverQuota(ThrowableAssert.ThrowingCallable call, String app, String quota) {
        assertThatThrownBy(call).isInstanceOf(StoreException.class)
                .hasMessageContaining("app '" + app + "' is over its quota of " + quota)
                .hasMessageContaining("the call was rolled back")
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.QUOTA_EXCEEDED);
    }

    @Test
    void aCommitOverTheLinesQuotaIsRefusedAndWritesNothingAndARaisedQuotaLetsItThrough() {
        String app = TestHeaps.app("quota-lines");
        long t = open(app);
        long first = commit(app, t, new byte[] {1}, lines(0, 8, 1));
        store.quotas().set(app, new AppQuota(10, 0, 0, 0));

        assertOverQuota(() -> commit(app, t, new byte[] {2}, lines(8, 3, 2)), app, "10 lines");
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(first);
        assertThat(store.transact(app, t, 0, new long[] {8, 9, 10}, List.of(), NONE)).as("the commit's lines").isEmpty();

        // exactly at the quota is within it; a deletion makes room
        long second = commit(app, t, new byte[] {2}, lines(8, 2, 2));
        assertThat(store.listCheckpoints(app).get(0).lineCount()).isEqualTo(10);
        store.commit(app, t, "dev-q", new byte[] {3}, Map.of(), lines(10, 1, 3), new long[] {0});
        assertThat(store.listCheckpoints(app).get(0).lineCount()).isEqualTo(10);

        store.quotas().set(app, new AppQuota(20, 0, 0, 0));
        commit(app, t, new byte[] {4}, lines(11, 5, 4));
        assertThat(store.listCheckpoints(app).get(0).lineCount()).isEqualTo(15);
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void aFlushOverTheLinesQuotaIsRefusedWritesNothingAndLeavesTheFlushCountAlone() {
        String app = TestHeaps.app("quota-flush");
        store.quotas().set(app, new AppQuota(6, 0, 0, 0));
        long t = open(app);
        long held = store.transact(app, t, 0, NONE, lines(0, 4, 1), NONE, 0).flushesHeld();
        assertThat(held).isEqualTo(1);
        // rewriting lines of the open epoch adds no version: still 4
        store.transact(app, t, 0, NONE, lines(0, 4, 2), NONE, held);

        assertOverQuota(() -> store.transact(app, t, 0, NONE, lines(4, 3, 3), NONE, held), app, "6 lines");
        assertThat(store.transact(app, t, 0, new long[] {0, 4, 5, 6}, List.of(), NONE)).containsOnlyKeys(0L);
        // deletions are versions the open epoch holds too
        assertOverQuota(() -> store.transact(app, t, 0, NONE, lines(4, 2, 3), new long[] {9}, held), app, "6 lines");
        // the count did not move: the next counted flush says what the device was told
        assertThat(store.transact(app, t, 0, NONE, lines(4, 2, 3), NONE, held + 1).flushesHeld()).isEqualTo(held + 2);
    }

    @Test
    void theBytesQuotaCountsLinesTimesTheLineSizeAndTheVmState() {
        String app = TestHeaps.app("quota-bytes");
        store.quotas().set(app, new AppQuota(0, 4 * LS + 100, 0, 0));
        long t = open(app);
        commit(app, t, new byte[100], lines(0, 4, 1));
        assertOverQuota(() -> commit(app, t, new byte[101], List.of()), app, (4 * LS + 100) + " bytes");
        // an open epoch counts its versions times the line size: 6 lines are 384 bytes
        store.flush(app, t, lines(4, 5, 1), NONE);
        assertOverQuota(() -> store.flush(app, t, lines(9, 1, 1), NONE), app, (4 * LS + 100) + " bytes");
        assertThat(store.listCheckpoints(app)).hasSize(1);
    }

    @Test
    void aCommitPrunesBeyondTheQuotaOfCheckpointsPinnedOrNot() {
        store = newStore(StoreSettings.defaults().withRetain(3).withCopyPin(Duration.ofHours(1)));
        String app = TestHeaps.app("quota-checkpoints");
        List<Long> ids = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 4; i++) {   // each pinned for its device's copies: retention alone keeps them all
            if (t != 0) {
                store.close(app, t);
            }
            t = open(app, "dev-" + i);
            ids.add(store.commit(app, t, "dev-" + i, new byte[] {1}, Map.of(), lines(i, 1, i), NONE,
                    PgHeapStore.FLUSHES_NOT_COUNTED, true).checkpoint().checkpointId());
        }
        assertThat(store.listCheckpoints(app)).hasSize(4);

        store.quotas().set(app, new AppQuota(0, 0, 2, 0));
        CommitResult r = store.commit(app, t, "dev-3", new byte[] {1}, Map.of(), lines(9, 1, 9), NONE);
        assertThat(r.prunedCheckpointIds()).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId)
                .containsExactly(r.checkpoint().checkpointId(), ids.get(3));
        // what the pruned checkpoints alone saw is reclaimed; the kept ones read whole
        assertThat(store.transact(app, 0, 0, new long[] {0, 1, 2, 3, 9}, List.of(), NONE)).containsOnlyKeys(0L, 1L, 2L, 3L, 9L);
    }

    @Test
    void anAppTakesItsOwnQuotaElseTheDefaultAndAClearedOneGoesBackToTheDefault() {
        String own = TestHeaps.app("quota-own");
        String other = TestHeaps.app("quota-other");
        try {
            assertThat(store.quotas().set(AppQuotas.DEFAULT, new AppQuota(100, 0, 5, 0))).isEqualTo(new AppQuota(100, 0, 5, 0));
            assertThat(store.quotas().set(own, new AppQuota(7, 1 << 20, 0, 50))).isEqualTo(new AppQuota(7, 1 << 20, 0, 50));
            assertThat(store.quotas().of(own)).isEqualTo(new AppQuota(7, 1 << 20, 0, 50));
            assertThat(store.quotas().of(other)).isEqualTo(new AppQuota(100, 0, 5, 0));
            assertThat(store.quotas().list()).containsEntry(AppQuotas.DEFAULT, new AppQuota(100, 0, 5, 0))
                    .containsEntry(own, new AppQuota(7, 1 << 20, 0, 50)).doesNotContainKey(other);
            long t = open(own);
            assertOverQuota(() -> commit(own, t, new byte[0], lines(0, 8, 1)), own, "7 lines");

            assertThat(store.quotas().clear(own)).isEqualTo(new AppQuota(100, 0, 5, 0));
            commit(own, t, new byte[0], lines(0, 8, 1));
        } finally {
            store.quotas().clear(AppQuotas.DEFAULT);
        }
        assertThat(store.quotas().of(other)).isEqualTo(AppQuota.NONE);
    }

    @Test
    void aBadQuotaOrNameIsInvalidAndChangesNothing() {
        String app = TestHeaps.app("quota-bad");
        store.quotas().set(app, new AppQuota(5, 0, 0, 0));
        assertThatThrownBy(() -> store.quotas().set(app, new AppQuota(-1, 0, 0, 0))).isInstanceOf(StoreException.class)
                .hasMessageContaining("0 (none) or more").extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.INVALID_ARGUMENT);
        assertThatThrownBy(() -> store.quotas().set("no spaces", AppQuota.NONE)).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.INVALID_ARGUMENT);
        assertThat(store.quotas().of(app)).isEqualTo(new AppQuota(5, 0, 0, 0));
    }

    @Test
    void anotherServersQuotaIsSeenByFlushesWithinTheCacheTimeAndByCommitsAtOnce() {
        String app = TestHeaps.app("quota-cache");
        PgHeapStore other = newStore(StoreSettings.defaults());
        long t = open(app);
        store.flush(app, t, lines(0, 3, 1), NONE);   // this store has now read (and cached) the app's quota: none
        other.quotas().set(app, new AppQuota(2, 0, 0, 0));

        store.flush(app, t, lines(3, 1, 1), NONE);   // within the cache time: the old quota
        assertOverQuota(() -> commit(app, t, new byte[0], List.of()), app, "2 lines");   // read in its transaction
        clock.advance(AppQuotas.CACHED_FOR);
        assertOverQuota(() -> store.flush(app, t, lines(4, 1, 1), NONE), app, "2 lines");
    }
}
