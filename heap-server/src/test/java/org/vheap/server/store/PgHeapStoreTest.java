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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.MutableClock;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/** The store's semantics, on a real PostgreSQL: atomicity, leases, fencing, epochs, retention, reclaiming. */
class PgHeapStoreTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final int LS = 64;
    private static final long[] NONE = new long[0];

    private final MutableClock clock = new MutableClock();
    private PgHeapStore store;

    /** The database under test: the run's embedded PostgreSQL here, a Citus cluster in {@code CitusPgHeapStoreTest}. */
    DataSource dataSource() {
        return DB.dataSource();
    }

    /** Where the store sends each heap's line calls: the database itself here, its workers in {@code CitusRoutedPgHeapStoreTest}. */
    HeapRouting routing() {
        return HeapRouting.to(dataSource());
    }

    /** A store on it that reclaims before each call returns, so tests see the result. */
    private PgHeapStore newStore(java.time.Clock clock, StoreSettings settings) {
        return new PgHeapStore(dataSource(), routing(), clock, settings, Runnable::run);
    }

    @BeforeEach
    void setUp() {
        store = newStore(clock, StoreSettings.defaults());
    }

    private OpenResult open(String app, String device) {
        return store.open(new PgHeapStore.OpenRequest(app, device, true, LS, 0, 0, false));
    }

    private void write(String app, long token, long id, int value) {
        store.flush(app, token, List.of(new LineImage(id, line(LS, value))), NONE);
    }

    private Map<Long, byte[]> readHolder(String app, long token, long... ids) {
        return store.transact(app, token, 0, ids, List.of(), NONE);
    }

    private Map<Long, byte[]> readCheckpoint(String app, long checkpoint, long... ids) {
        return store.transact(app, 0, checkpoint, ids, List.of(), NONE);
    }

    private long commit(String app, long token, String device) {
        return store.commit(app, token, device, new byte[] {1, 2, 3}, Map.of("k", "v"), List.of(), NONE)
                .checkpoint().checkpointId();
    }

    /** Every line of a view, via the streaming read. */
    private Map<Long, Integer> contents(String app, long token, long checkpoint) {
        Map<Long, Integer> all = new TreeMap<>();
        store.streamLines(app, token, checkpoint, List.of(), 1024, chunk -> {
            for (LineImage l : chunk) {
                all.put(l.lineId(), value(l.data()));
            }
        });
        return all;
    }

    private static int value(byte[] data) {
        return ((data[0] & 0xff) << 8) | (data[1] & 0xff);
    }

    private long rows(String sql, Object... args) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Version rows that no view (retained checkpoint or open epoch) can see: must be none. */
    private long garbageRows(long heapId) {
        return rows("WITH views AS (SELECT checkpoint_id AS vid, lineage FROM checkpoint WHERE heap_id = ?"
                + " UNION ALL SELECT -1, open_lineage FROM heap WHERE heap_id = ? AND open_lineage IS NOT NULL),"
                + " needed AS (SELECT DISTINCT ON (w.vid, v.line_id) v.line_id, v.epoch FROM views w"
                + " JOIN line_version v ON v.heap_id = ? AND v.epoch <@ w.lineage ORDER BY w.vid, v.line_id, v.epoch DESC)"
                + " SELECT count(*) FROM line_version d WHERE d.heap_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM needed n WHERE n.line_id = d.line_id AND n.epoch = d.epoch)",
                heapId, heapId, heapId, heapId);
    }

    private long versionRows(long heapId) {
        return rows("SELECT count(*) FROM line_version WHERE heap_id = ?", heapId);
    }

    // -------------------------------------------------------------------------------------------------

    @Test
    void openCreatesAHeapAndEveryOpenGrowsTheFencingToken() {
        String app = TestHeaps.app("open");
        OpenResult first = open(app, "dev-a");
        assertThat(first.created()).isTrue();
        assertThat(first.lineSize()).isEqualTo(LS);
        assertThat(first.baseCheckpoint()).isNull();
        assertThat(first.lease().holder()).isEqualTo("dev-a");
        assertThat(first.lease().expiresAt()).isEqualTo(clock.instant().plus(StoreSettings.defaults().defaultLease()));

        OpenResult again = open(app, "dev-a");
        assertThat(again.created()).isFalse();
        assertThat(again.heapId()).isEqualTo(first.heapId());
        assertThat(again.lease().fencingToken()).isGreaterThan(first.lease().fencingToken());

        assertThatThrownBy(() -> store.open(new PgHeapStore.OpenRequest(TestHeaps.app("nope"), "d", false, 0, 0, 0, false)))
                .isInstanceOf(StoreException.class).hasMessageContaining("no app named")
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> store.open(new PgHeapStore.OpenRequest(app, "dev-a", true, 128, 0, 0, false)))
                .hasMessageContaining("has 64-byte lines, not 128");
    }

    @Test
    void holderReadsItsOwnUncommittedWritesAndOthersSeeOnlyCheckpoints() {
        String app = TestHeaps.app("own");
        long t = open(app, "dev-a").lease().fencingToken();
        write(app, t, 1, 10);
        assertThat(value(readHolder(app, t, 1).get(1L))).isEqualTo(10);
        assertThat(readCheckpoint(app, 0, 1)).isEmpty();   // no checkpoint yet: an empty heap

        long cp = commit(app, t, "dev-a");
        write(app, t, 1, 11);
        write(app, t, 2, 20);
        assertThat(value(readHolder(app, t, 1).get(1L))).isEqualTo(11);
        assertThat(readCheckpoint(app, 0, 1, 2)).containsOnlyKeys(1L);
        assertThat(value(readCheckpoint(app, cp, 1).get(1L))).isEqualTo(10);
    }

    @Test
    void aTransactionThatFailsMidwayInTheDatabaseLeavesNothing() throws SQLException {
        String app = TestHeaps.app("atomic");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        write(app, t, 5, 5);
        long cp = commit(app, t, "dev-a");
        long poison = 4_242_424_242L;
        // a trigger makes the database itself fail on one line, after other lines were inserted
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION vheap_test_poison() RETURNS trigger AS $$ BEGIN"
                    + " IF NEW.line_id = " + poison + " THEN RAISE EXCEPTION 'injected failure'; END IF;"
                    + " RETURN NEW; END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER vheap_test_poison BEFORE INSERT ON line_version"
                    + " FOR EACH ROW EXECUTE FUNCTION vheap_test_poison()");
        }
        try {
            List<LineImage> writes = new ArrayList<>();
            for (long id = 10; id < 110; id++) {
                writes.add(new LineImage(id, line(LS, 1000 + (int) id)));
            }
            // with a read, a transaction of several statements: the read, then the writes and deletions, which
            // fail at the poisoned line (the last, in id order) after the others were inserted
            assertThatThrownBy(() -> store.transact(app, t, 0, new long[] {5}, writes, new long[] {5, poison}))
                    .hasMessageContaining("injected failure");
            assertThat(readHolder(app, t, 10, 11, 50, 109)).isEmpty();
            // a flush is one statement: it fails at the poisoned deletion after the writes were inserted
            assertThatThrownBy(() -> store.transact(app, t, 0, NONE, writes, new long[] {5, poison}))
                    .hasMessageContaining("injected failure");
            assertThat(readHolder(app, t, 10, 11, 50, 109)).isEmpty();
            assertThat(value(readHolder(app, t, 5).get(5L))).isEqualTo(5);   // the delete did not happen either

            // a failed commit publishes nothing: the newest checkpoint is still the old one
            assertThatThrownBy(() -> store.commit(app, t, "dev-a", new byte[0], Map.of(),
                    List.of(new LineImage(7, line(LS, 7)), new LineImage(poison, line(LS, 1))), NONE))
                    .hasMessageContaining("injected failure");
            assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(cp);
            assertThat(readHolder(app, t, 7)).isEmpty();
        } finally {
            try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER vheap_test_poison ON line_version");
                s.execute("DROP FUNCTION vheap_test_poison()");
            }
        }
        // and the heap still works
        write(app, t, 6, 6);
        assertThat(value(readHolder(app, t, 6).get(6L))).isEqualTo(6);
    }

    @Test
    void twoDevicesRacingForTheLeaseExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String app = TestHeaps.app("race");
                store.open(new PgHeapStore.OpenRequest(app, "creator", true, LS, 0, 0, false));
                store.close(app, store.app(app).lease().fencingToken());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> results = new ArrayList<>();
                for (String device : List.of("dev-a", "dev-b")) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            return open(app, device);
                        } catch (StoreException e) {
                            return e;
                        }
                    }));
                }
                go.countDown();
                Object r1 = results.get(0).get();
                Object r2 = results.get(1).get();
                List<Object> both = List.of(r1, r2);
                assertThat(both).filteredOn(r -> r instanceof OpenResult).hasSize(1);
                StoreException loser = (StoreException) both.stream().filter(r -> r instanceof StoreException)
                        .findFirst().orElseThrow();
                OpenResult winner = (OpenResult) both.stream().filter(r -> r instanceof OpenResult).findFirst().orElseThrow();
                assertThat(loser.reason()).isEqualTo(StoreException.Reason.LEASE_HELD);
                assertThat(loser.getMessage()).contains("leased to device '" + winner.lease().holder() + "'")
                        .contains(winner.lease().expiresAt().toString());
                assertThat(store.app(app).lease().holder()).isEqualTo(winner.lease().holder());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void staleTokensAreFencedAndChangeNothing() {
        String app = TestHeaps.app("fence");
        long tA = open(app, "dev-a").lease().fencingToken();
        write(app, tA, 1, 1);
        long cp = commit(app, tA, "dev-a");

        // dev-a's lease lapses; dev-b takes over
        clock.advance(StoreSettings.defaults().defaultLease().plusSeconds(1));
        long tB = open(app, "dev-b").lease().fencingToken();
        assertThat(tB).isGreaterThan(tA);

        assertThatThrownBy(() -> write(app, tA, 1, 99))
                .isInstanceOf(StoreException.class).hasMessageContaining("stale")
                .hasMessageContaining("dev-b")
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED);
        assertThatThrownBy(() -> store.transact(app, tA, 0, NONE, List.of(), new long[] {1}))
                .hasMessageContaining("stale");
        assertThatThrownBy(() -> store.commit(app, tA, "dev-a", new byte[0], Map.of(), List.of(), NONE))
                .hasMessageContaining("stale");
        assertThatThrownBy(() -> store.renew(app, tA, 0)).hasMessageContaining("stale");
        assertThatThrownBy(() -> store.close(app, tA)).hasMessageContaining("stale");
        assertThatThrownBy(() -> readHolder(app, tA, 1)).hasMessageContaining("stale");

        assertThat(value(readHolder(app, tB, 1).get(1L))).isEqualTo(1);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(cp);
        assertThat(store.app(app).lease().holder()).isEqualTo("dev-b");

        // after a release, the last token is stale too
        store.close(app, tB);
        assertThatThrownBy(() -> write(app, tB, 1, 2)).hasMessageContaining("no device holds the lease");
    }

    @Test
    void flushesTheDatabaseLostAreSeenByTheHoldersNextCallWhichChangesNothing() throws SQLException {
        String app = TestHeaps.app("lost");
        long t = open(app, "dev-a").lease().fencingToken();
        long cp = commit(app, t, "dev-a");
        // two counted flushes (asynchronous commits), then one uncounted (durable): the count is the counted ones
        assertThat(store.transact(app, t, 0, NONE, List.of(new LineImage(1, line(LS, 1))), NONE, 0).flushesHeld())
                .isEqualTo(1);
        assertThat(store.transact(app, t, 0, NONE, List.of(new LineImage(2, line(LS, 2))), NONE, 1).flushesHeld())
                .isEqualTo(2);
        write(app, t, 3, 3);
        assertThat(openFlushes(app)).isEqualTo(2);
        assertThat(readHolder(app, t, 1, 2, 3)).hasSize(3);
        assertThat(store.transact(app, t, 0, new long[] {2}, List.of(), NONE, 2).lines()).containsKey(2L);

        // the database crashes and loses its last asynchronous commit, the second flush: its version and its count
        sql("DELETE FROM line_version WHERE line_id = 2 AND heap_id = (SELECT heap_id FROM heap WHERE app_name = '"
                + app + "')", "UPDATE heap SET open_flushes = 1 WHERE app_name = '" + app + "'");

        // the holder was told of two: every call of its lease is refused, and none changes anything
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> store.transact(app, t, 0, new long[] {1}, List.of(), NONE, 2),
                () -> store.transact(app, t, 0, NONE, List.of(new LineImage(4, line(LS, 4))), NONE, 2),
                () -> store.transact(app, t, 0, new long[] {1}, List.of(new LineImage(4, line(LS, 4))), NONE, 2),
                () -> store.flushAhead(app, t, List.of(new LineImage(4, line(LS, 4))), NONE, 2),
                () -> store.commit(app, t, "dev-a", new byte[0], Map.of(), List.of(new LineImage(4, line(LS, 4))), NONE, 2));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOf(StoreException.class)
                    .hasMessageContaining("lost flushes").hasMessageContaining("holds 1 of the 2")
                    .hasMessageContaining("resume the app from its last checkpoint")
                    .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.FLUSHES_LOST);
        }
        assertThat(openFlushes(app)).isEqualTo(1);
        assertThat(readHolder(app, t, 1, 2, 3, 4).keySet()).containsExactly(1L, 3L);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(cp);

        // a count at or under what the store holds passes; resuming opens a new lease, counted from 0
        store.transact(app, t, 0, NONE, List.of(new LineImage(5, line(LS, 5))), NONE, 1);
        long t2 = store.open(new PgHeapStore.OpenRequest(app, "dev-a", false, LS, 0, 0, false)).lease().fencingToken();
        assertThat(openFlushes(app)).isZero();
        assertThat(readHolder(app, t2, 1, 5)).isEmpty();   // the open epoch of the lost lease is gone
        store.transact(app, t2, 0, NONE, List.of(new LineImage(6, line(LS, 6))), NONE, 0);
        assertThat(store.commit(app, t2, "dev-a", new byte[0], Map.of(), List.of(), NONE, 1).checkpoint().checkpointId())
                .isGreaterThan(cp);
    }

    /**
     * A flush applied whose answer never reached the device (a deadline) is retried with the same count: the answer
     * says how many the store holds, both, so the device's count does not fall behind the store's, where a later
     * loss would hide (the store holding as many as the device was told of although the flush it was told of is gone).
     */
    @Test
    void aFlushAppliedWhoseAnswerWasLostIsCountedInTheNextAnswer() throws SQLException {
        String app = TestHeaps.app("lost-answer");
        long t = open(app, "dev-a").lease().fencingToken();
        store.transact(app, t, 0, NONE, List.of(new LineImage(1, line(LS, 1))), NONE, 0);   // its answer is lost
        long held = store.transact(app, t, 0, NONE, List.of(new LineImage(1, line(LS, 1))), NONE, 0).flushesHeld();
        assertThat(held).isEqualTo(2);
        held = store.transact(app, t, 0, NONE, List.of(new LineImage(2, line(LS, 2))), NONE, held).flushesHeld();
        assertThat(held).isEqualTo(3);
        // the crash loses the last flush: the store holds 2, the device was told of 3
        sql("DELETE FROM line_version WHERE line_id = 2 AND heap_id = (SELECT heap_id FROM heap WHERE app_name = '"
                + app + "')", "UPDATE heap SET open_flushes = 2 WHERE app_name = '" + app + "'");
        long told = held;
        assertThatThrownBy(() -> store.transact(app, t, 0, new long[] {2}, List.of(), NONE, told))
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(StoreException.Reason.FLUSHES_LOST);
    }

    @Test
    void aFlushCountIsGivenOnlyWithATokenAndNeverNegative() {
        String app = TestHeaps.app("count-args");
        long t = open(app, "dev-a").lease().fencingToken();
        assertThatThrownBy(() -> store.transact(app, 0, 0, new long[] {1}, List.of(), NONE, 0))
                .hasMessageContaining("flushes acknowledged").extracting(e -> ((StoreException) e).reason())
                .isEqualTo(StoreException.Reason.INVALID_ARGUMENT);
        assertThatThrownBy(() -> store.transact(app, t, 0, NONE, List.of(new LineImage(1, line(LS, 1))), NONE, -5))
                .hasMessageContaining("got -5");
        assertThatThrownBy(() -> store.commit(app, t, "dev-a", new byte[0], Map.of(), List.of(), NONE, -2))
                .hasMessageContaining("got -2");
        assertThatThrownBy(() -> store.flushAhead(app, t, List.of(new LineImage(1, line(LS, 1))), NONE, -3))
                .hasMessageContaining("got -3");
        assertThat(store.listCheckpoints(app)).isEmpty();
        assertThat(readHolder(app, t, 1)).isEmpty();
        assertThat(openFlushes(app)).isZero();
    }

    private long openFlushes(String app) {
        return rows("SELECT open_flushes FROM heap WHERE app_name = ?", app);
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @Test
    void aZombieOfADeletedAppIsFencedFromTheAppCreatedAgainUnderItsName() {
        String app = TestHeaps.app("reborn");
        long old = open(app, "dev-a").lease().fencingToken();
        write(app, old, 1, 1);
        long oldCp = commit(app, old, "dev-a");
        store.deleteApp(app, true);

        OpenResult reborn = open(app, "dev-b");
        assertThat(reborn.created()).isTrue();
        assertThat(reborn.lease().fencingToken()).isGreaterThan(old);
        assertThatThrownBy(() -> write(app, old, 1, 99)).hasMessageContaining("stale");
        assertThatThrownBy(() -> readHolder(app, old, 1)).hasMessageContaining("stale");
        long newCp = commit(app, reborn.lease().fencingToken(), "dev-b");
        assertThat(newCp).isGreaterThan(oldCp);   // checkpoint ids are never reused
        assertThat(contents(app, 0, newCp)).isEmpty();
    }

    /**
     * A store remembers each app's heap id ({@link HeapIds}); another server deletes the app and creates it again
     * under the same name (a new id) before each kind of call: a fault, a flush (each one statement), a transaction
     * with reads and writes, a commit. Each finds the new heap by its name; the old lease is fenced; nothing of an
     * old heap is read; once the app is gone, the calls say so.
     */
    @Test
    void anAppDeletedAndCreatedAgainByAnotherServerIsFoundUnderItsNewIdByAStoreThatRememberedTheOld() {
        String app = TestHeaps.app("renamed");
        OpenResult first = open(app, "dev-a");
        long old = first.lease().fencingToken();
        write(app, old, 1, 1);
        assertThat(value(readHolder(app, old, 1).get(1L))).isEqualTo(1);   // the id is remembered by now
        PgHeapStore other = newStore(clock, StoreSettings.defaults());

        long token = recreatedBy(other, app, first.heapId());
        assertThatThrownBy(() -> readHolder(app, old, 1)).hasMessageContaining("stale");
        assertThat(readHolder(app, token, 1)).isEmpty();
        token = recreatedBy(other, app, store.app(app).heapId());
        write(app, token, 2, 2);
        assertThat(value(readHolder(app, token, 2).get(2L))).isEqualTo(2);
        token = recreatedBy(other, app, store.app(app).heapId());
        assertThat(store.transact(app, token, 0, new long[] {2}, List.of(new LineImage(3, line(LS, 3))), NONE)).isEmpty();
        token = recreatedBy(other, app, store.app(app).heapId());
        long cp = commit(app, token, "dev-b");
        assertThat(contents(app, 0, cp)).isEmpty();
        assertThat(store.app(app).heapId()).isEqualTo(other.app(app).heapId());

        other.deleteApp(app, true);
        long gone = token;
        assertThatThrownBy(() -> readHolder(app, gone, 2)).hasMessageContaining("no app named");
        assertThatThrownBy(() -> write(app, gone, 2, 3)).hasMessageContaining("no app named");
        assertThatThrownBy(() -> commit(app, gone, "dev-b")).hasMessageContaining("no app named");
    }

    /** {@code other} deletes the app (whose heap is {@code heapId}) and creates it again; returns the new lease's token. */
    private static long recreatedBy(PgHeapStore other, String app, long heapId) {
        other.deleteApp(app, true);
        OpenResult reborn = other.open(new PgHeapStore.OpenRequest(app, "dev-b", true, LS, 0, 0, false));
        assertThat(reborn.heapId()).isNotEqualTo(heapId);
        return reborn.lease().fencingToken();
    }

    @Test
    void anUnexpiredLeaseHeldByAnotherDeviceIsNamedWithItsExpiry() {
        String app = TestHeaps.app("held");
        OpenResult a = open(app, "dev-a");
        assertThatThrownBy(() -> open(app, "dev-b"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("leased to device 'dev-a' until " + a.lease().expiresAt());
        // renewing keeps others out past the first expiry
        clock.advance(Duration.ofSeconds(20));
        store.renew(app, a.lease().fencingToken(), 0);
        clock.advance(Duration.ofSeconds(20));
        assertThatThrownBy(() -> open(app, "dev-b")).hasMessageContaining("leased to device 'dev-a'");
        clock.advance(Duration.ofSeconds(11));
        assertThat(open(app, "dev-b").lease().holder()).isEqualTo("dev-b");
    }

    @Test
    void uncommittedFlushesAreInvisibleAfterTakeoverAndDiscarded() {
        String app = TestHeaps.app("takeover");
        OpenResult a = open(app, "dev-a");
        long tA = a.lease().fencingToken();
        write(app, tA, 1, 1);
        write(app, tA, 2, 2);
        long cp = commit(app, tA, "dev-a");
        write(app, tA, 1, 100);                                  // flushed, never committed
        write(app, tA, 3, 300);
        store.flush(app, tA, List.of(), new long[] {2});
        assertThat(contents(app, tA, 0)).isEqualTo(Map.of(1L, 100, 3L, 300));

        clock.advance(Duration.ofMinutes(1));
        OpenResult b = store.open(new PgHeapStore.OpenRequest(app, "dev-b", false, 0, 0, 0, true));
        assertThat(b.baseCheckpoint().checkpointId()).isEqualTo(cp);
        assertThat(b.vmState()).containsExactly(1, 2, 3);
        assertThat(b.discardedLines()).isEqualTo(3);
        assertThat(contents(app, b.lease().fencingToken(), 0)).isEqualTo(Map.of(1L, 1, 2L, 2));
        assertThat(versionRows(a.heapId())).isEqualTo(2);      // the discarded versions are gone from the table
    }

    @Test
    void closeDiscardsUncommittedWrites() {
        String app = TestHeaps.app("close");
        OpenResult a = open(app, "dev-a");
        long t = a.lease().fencingToken();
        write(app, t, 1, 1);
        commit(app, t, "dev-a");
        write(app, t, 1, 2);
        assertThat(store.close(app, t)).isEqualTo(1);
        assertThat(store.app(app).lease()).isNull();
        long t2 = open(app, "dev-b").lease().fencingToken();   // no wait: the lease was released
        assertThat(value(readHolder(app, t2, 1).get(1L))).isEqualTo(1);
    }

    /** {@code count} lines from id 0, each holding {@code value + id}: past a megabyte of data, written by COPY. */
    private static List<LineImage> many(int count, int value) {
        List<LineImage> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(new LineImage(i, line(LS, value + i)));
        }
        return lines;
    }

    @Test
    void aFlushOfMegabytesGoesByCopyAndReplacesTheEpochsEarlierVersionsAndDeletes() {
        String app = TestHeaps.app("copy");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        int count = LineVersions.COPY_BYTES / LS + 100;
        assertThat(LineVersions.writesByInsert(many(count, 0))).isFalse();
        store.flush(app, t, many(count, 0), NONE);
        store.flush(app, t, many(count, 7), new long[] {count + 5});   // the same lines again, in the same epoch
        store.flush(app, t, List.of(), new long[] {3});
        store.flush(app, t, many(count, 9).subList(0, 3), new long[0]);   // small: by INSERT, over COPY's rows
        Map<Long, byte[]> read = readHolder(app, t, 0, 3, 10, count - 1, count + 5);
        assertThat(value(read.get(0L))).isEqualTo(9);
        assertThat(read).doesNotContainKeys(3L, (long) count + 5);
        assertThat(value(read.get(10L))).isEqualTo(17);
        assertThat(value(read.get((long) count - 1))).isEqualTo(7 + count - 1);
        // one version per line of the epoch: the copies replaced, not added to, the earlier ones
        assertThat(versionRows(o.heapId())).isEqualTo(count + 1);   // line 3 and line count+5 are deletion versions
        long cp = commit(app, t, "dev-a");
        assertThat(contents(app, 0, cp)).hasSize(count - 1).containsEntry(count - 1L, 7 + count - 1);
    }

    @Test
    void aCopyWhoseLastRowFillsItsBufferExactlyStillEndsItsData() {
        // 16406 writes (106 bytes a row) then 8526 deletions (42 bytes a row) leave no byte of the 1 MiB buffer free
        String app = TestHeaps.app("copyfull");
        long t = open(app, "dev-a").lease().fencingToken();
        int writes = 16406;
        long[] deletes = new long[8526];
        for (int i = 0; i < deletes.length; i++) {
            deletes[i] = writes + i;
        }
        store.flush(app, t, many(writes, 0), deletes);
        Map<Long, byte[]> read = readHolder(app, t, 0, writes - 1, writes);
        assertThat(value(read.get((long) writes - 1))).isEqualTo(writes - 1);
        assertThat(read).doesNotContainKey((long) writes);
    }

    @Test
    void aCopyOfLinesAsLargeAsItsBufferStreamsTheirBytesOnTheirOwn() {
        int size = 1 << 20;   // the largest line: with its row header, more than the copy's buffer
        String app = TestHeaps.app("copybig");
        long t = store.open(new PgHeapStore.OpenRequest(app, "dev-a", true, size, 0, 0, false)).lease().fencingToken();
        store.flush(app, t, List.of(new LineImage(1, line(size, 1)), new LineImage(2, line(size, 2))), new long[] {3});
        Map<Long, byte[]> read = readHolder(app, t, 1, 2, 3);
        assertThat(read.get(1L)).isEqualTo(line(size, 1));
        assertThat(read.get(2L)).isEqualTo(line(size, 2));
        assertThat(read).doesNotContainKey(3L);
    }

    @Test
    void aCopyThatMeetsAConcurrentWriterOfItsLinesWritesByInsertAndWins() throws Exception {
        String app = TestHeaps.app("copyrace");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        long epoch = rows("SELECT open_epoch FROM heap WHERE heap_id = ?", o.heapId());
        int count = LineVersions.COPY_BYTES / LS + 100;
        try (Connection other = dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO line_version VALUES (?, 5, ?, ?)")) {
                ps.setLong(1, o.heapId());
                ps.setLong(2, epoch);
                ps.setBytes(3, line(LS, 1));
                ps.executeUpdate();   // uncommitted: the copy's row for line 5 waits on it
            }
            java.util.concurrent.CompletableFuture<Void> flush = java.util.concurrent.CompletableFuture.runAsync(
                    () -> store.flush(app, t, many(count, 100), NONE));
            Thread.sleep(300);
            assertThat(flush).isNotDone();
            other.commit();
            flush.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(value(readHolder(app, t, 5).get(5L))).isEqualTo(105);
        assertThat(versionRows(o.heapId())).isEqualTo(count);
    }

    /** A commit by {@code device}, pinned for its copies or not. */
    private long commit(String app, long token, String device, boolean pin) {
        return store.commit(app, token, device, new byte[] {1}, Map.of(), List.of(), NONE, PgHeapStore.FLUSHES_NOT_COUNTED,
                pin).checkpoint().checkpointId();
    }

    @Test
    void aCheckpointPinnedForADevicesCopiesOutlivesRetentionUntilItsPinEndsAndKeepsItsVersions() {
        store = newStore(clock, StoreSettings.defaults().withRetain(2).withCopyPin(java.time.Duration.ofHours(1)));
        String app = TestHeaps.app("pin");
        long t = open(app, "dev-x").lease().fencingToken();
        write(app, t, 1, 10);
        long pinned = commit(app, t, "dev-x", true);
        assertThat(store.listCheckpoints(app).get(0).pinnedUntil()).isEqualTo(clock.instant().plus(java.time.Duration.ofHours(1)));
        store.close(app, t);
        long ty = open(app, "dev-y").lease().fencingToken();
        List<Long> others = new ArrayList<>();
        for (int round = 1; round <= 4; round++) {   // line 1 changes in each: the pinned one's version is superseded
            write(app, ty, 1, 10 + round);
            others.add(commit(app, ty, "dev-y", false));
        }
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId)
                .as("the newest two, and the pinned one beyond them").containsExactly(others.get(3), others.get(2), pinned);
        store.reclaimEverythingLater();   // inline here: whatever reclaiming would remove is gone
        assertThat(value(readCheckpoint(app, pinned, 1).get(1L))).as("its version is kept").isEqualTo(10);
        byte[] copy = line(LS, 10);
        assertThat(store.versionsBySha256(app, new long[] {1}, new byte[][] {TestHeaps.sha256(copy)}).get(1L)).isEqualTo(copy);

        // a newer pinned checkpoint of the same device ends the older pin, and retention takes the older one
        store.close(app, ty);
        long tx = open(app, "dev-x").lease().fencingToken();
        long newer = commit(app, tx, "dev-x", true);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(newer, others.get(3));
        // the pin ends with its time: another device's commits then prune it
        store.close(app, tx);
        long ty2 = open(app, "dev-y").lease().fencingToken();
        long kept = commit(app, ty2, "dev-y", false);
        long later = commit(app, ty2, "dev-y", false);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(later, kept, newer);
        clock.advance(java.time.Duration.ofHours(2));
        long last = commit(app, ty2, "dev-y", false);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::checkpointId).containsExactly(last, later);
        // and a device's unpinned commit (an ended app's last checkpoint) ends its own pin at once
        store.close(app, ty2);
        long tx2 = open(app, "dev-x").lease().fencingToken();
        commit(app, tx2, "dev-x", true);
        assertThat(store.listCheckpoints(app).get(0).pinnedUntil()).isNotNull();
        commit(app, tx2, "dev-x", false);
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::pinnedUntil).containsOnlyNulls();
    }

    @Test
    void withoutCopyPinsACommitAskingForOneIsNotPinned() {
        store = newStore(clock, StoreSettings.defaults().withCopyPin(java.time.Duration.ZERO));
        String app = TestHeaps.app("nopin");
        long t = open(app, "dev-x").lease().fencingToken();
        commit(app, t, "dev-x", true);
        assertThat(store.listCheckpoints(app).get(0).pinnedUntil()).isNull();
    }

    @Test
    void retainedCheckpointsEachRestoreExactlyAndOldVersionsAreReclaimed() {
        StoreSettings keep3 = StoreSettings.defaults().withRetain(3);
        store = newStore(clock, keep3);
        String app = TestHeaps.app("retain");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        Map<Long, Map<Long, Integer>> expected = new HashMap<>();
        Map<Long, Integer> current = new TreeMap<>();
        List<Long> ids = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            for (long id = 0; id < 10; id++) {
                if ((id + round) % 3 == 0) {
                    write(app, t, id, round * 100 + (int) id);
                    current.put(id, round * 100 + (int) id);
                } else if ((id * round) % 7 == 1 && current.containsKey(id)) {
                    store.flush(app, t, List.of(), new long[] {id});
                    current.remove(id);
                }
            }
            long cp = commit(app, t, "dev-a");
            ids.add(cp);
            expected.put(cp, new TreeMap<>(current));
        }
        List<CheckpointRecord> kept = store.listCheckpoints(app);
        assertThat(kept).extracting(CheckpointRecord::checkpointId)
                .containsExactly(ids.get(7), ids.get(6), ids.get(5));
        for (CheckpointRecord c : kept) {
            assertThat(contents(app, 0, c.checkpointId())).as("checkpoint %d", c.checkpointId())
                    .isEqualTo(expected.get(c.checkpointId()));
            assertThat(c.lineCount()).isEqualTo(expected.get(c.checkpointId()).size());
            assertThat(c.sizeBytes()).isEqualTo((long) LS * c.lineCount());
            assertThat(c.metadata()).containsEntry("k", "v");
        }
        assertThatThrownBy(() -> contents(app, 0, ids.get(0))).hasMessageContaining("no checkpoint " + ids.get(0));
        // no version is kept that no retained checkpoint needs: at most one per line per retained checkpoint
        assertThat(versionRows(o.heapId())).isLessThanOrEqualTo(10L * 3);
        long needed = rows("SELECT count(*) FROM (SELECT DISTINCT ON (c.checkpoint_id, v.line_id) v.line_id, v.epoch"
                + " FROM checkpoint c JOIN line_version v ON v.heap_id = c.heap_id AND v.epoch <@ c.lineage"
                + " WHERE c.heap_id = ? ORDER BY c.checkpoint_id, v.line_id, v.epoch DESC) n", o.heapId());
        long distinctNeeded = rows("SELECT count(*) FROM (SELECT DISTINCT line_id, epoch FROM (SELECT DISTINCT ON"
                + " (c.checkpoint_id, v.line_id) v.line_id, v.epoch FROM checkpoint c JOIN line_version v ON"
                + " v.heap_id = c.heap_id AND v.epoch <@ c.lineage WHERE c.heap_id = ?"
                + " ORDER BY c.checkpoint_id, v.line_id, v.epoch DESC) n) d", o.heapId());
        assertThat(needed).isGreaterThan(0);
        assertThat(versionRows(o.heapId())).isEqualTo(distinctNeeded);
    }

    @Test
    void resumingFromAnOlderCheckpointForksAndLeavesTheOthersExact() {
        String app = TestHeaps.app("fork");
        long t = open(app, "dev-a").lease().fencingToken();
        write(app, t, 1, 1);
        long cp1 = commit(app, t, "dev-a");
        write(app, t, 1, 2);
        write(app, t, 2, 2);
        long cp2 = commit(app, t, "dev-a");

        clock.advance(Duration.ofMinutes(1));
        OpenResult b = store.open(new PgHeapStore.OpenRequest(app, "dev-b", false, 0, 0, cp1, false));
        long tb = b.lease().fencingToken();
        assertThat(b.baseCheckpoint().checkpointId()).isEqualTo(cp1);
        assertThat(contents(app, tb, 0)).isEqualTo(Map.of(1L, 1));
        write(app, tb, 3, 3);
        long cp3 = store.commit(app, tb, "dev-b", new byte[0], Map.of(), List.of(), NONE).checkpoint().checkpointId();
        assertThat(store.listCheckpoints(app)).extracting(CheckpointRecord::parentCheckpointId)
                .containsExactly(cp1, cp1, 0L);
        assertThat(contents(app, 0, cp3)).isEqualTo(Map.of(1L, 1, 3L, 3));
        assertThat(contents(app, 0, cp2)).isEqualTo(Map.of(1L, 2, 2L, 2));
        assertThat(contents(app, 0, cp1)).isEqualTo(Map.of(1L, 1));
        assertThatThrownBy(() -> store.open(new PgHeapStore.OpenRequest(app, "dev-b", false, 0, 0, 999, false)))
                .hasMessageContaining("no checkpoint 999");
    }

    @Test
    void deletingACheckpointKeepsWhatOthersNeed() {
        String app = TestHeaps.app("delcp");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        write(app, t, 1, 1);
        write(app, t, 2, 2);
        long cp1 = commit(app, t, "dev-a");
        write(app, t, 1, 10);
        long cp2 = commit(app, t, "dev-a");
        store.deleteCheckpoint(app, cp1);
        assertThat(contents(app, 0, cp2)).isEqualTo(Map.of(1L, 10, 2L, 2));
        assertThat(versionRows(o.heapId())).isEqualTo(2);
        assertThatThrownBy(() -> store.deleteCheckpoint(app, cp1)).hasMessageContaining("no checkpoint " + cp1);
    }

    @Test
    void deletingTheOpenEpochsBaseKeepsTheNextCheckpointsLineCountExact() {
        String app = TestHeaps.app("basegone");
        long t = open(app, "dev-a").lease().fencingToken();
        write(app, t, 1, 1);
        write(app, t, 2, 2);
        long base = commit(app, t, "dev-a");
        write(app, t, 1, 10);                     // shadows the base's version of line 1 in the open epoch
        store.deleteCheckpoint(app, base);
        CheckpointRecord next = store.commit(app, t, "dev-a", new byte[0], Map.of(), List.of(), NONE).checkpoint();
        assertThat(next.lineCount()).isEqualTo(2);
        assertThat(contents(app, 0, next.checkpointId())).isEqualTo(Map.of(1L, 10, 2L, 2));
    }

    @Test
    void theStartupSweepReclaimsWhatALostReclaimLeftBehind() throws SQLException {
        String app = TestHeaps.app("sweep");
        OpenResult o = open(app, "dev-a");
        long t = o.lease().fencingToken();
        write(app, t, 1, 1);
        long cp = commit(app, t, "dev-a");
        // a version no view can see, as a reclaim that never ran would leave it: an older one of line 1
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO line_version VALUES (?, 1, ?, ?)")) {
            ps.setLong(1, o.heapId());
            ps.setLong(2, cp - 1);
            ps.setBytes(3, line(LS, 99));
            ps.executeUpdate();
        }
        assertThat(garbageRows(o.heapId())).isEqualTo(1);
        store.reclaimEverythingLater();
        assertThat(garbageRows(o.heapId())).isZero();
        assertThat(contents(app, 0, cp)).isEqualTo(Map.of(1L, 1));
    }

    @Test
    void deletingAnAppRemovesEverythingButNotWhileLeasedUnlessForced() {
        String app = TestHeaps.app("delapp");
        OpenResult o = open(app, "dev-a");
        write(app, o.lease().fencingToken(), 1, 1);
        commit(app, o.lease().fencingToken(), "dev-a");
        assertThatThrownBy(() -> store.deleteApp(app, false)).hasMessageContaining("leased to device 'dev-a'");
        store.deleteApp(app, true);
        assertThatThrownBy(() -> store.app(app)).hasMessageContaining("no app named");
        assertThat(versionRows(o.heapId())).isZero();
        assertThat(rows("SELECT count(*) FROM checkpoint WHERE heap_id = ?", o.heapId())).isZero();
    }

    @Test
    void badInputIsRefusedWithAClearReasonAndChangesNothing() {
        String app = TestHeaps.app("bad");
        long t = open(app, "dev-a").lease().fencingToken();
        write(app, t, 1, 1);
        assertReason(() -> open("", "dev-a"), StoreException.Reason.INVALID_ARGUMENT, "app name is empty");
        assertReason(() -> open("a b", "dev-a"), StoreException.Reason.INVALID_ARGUMENT, "may hold only");
        assertReason(() -> open(app, ""), StoreException.Reason.INVALID_ARGUMENT, "device name is empty");
        assertReason(() -> store.open(new PgHeapStore.OpenRequest(TestHeaps.app("ls"), "d", true, 100, 0, 0, false)),
                StoreException.Reason.INVALID_ARGUMENT, "power of two");
        assertReason(() -> readHolder(app, t, -1), StoreException.Reason.INVALID_ARGUMENT, "bad line id -1");
        assertReason(() -> store.flush(app, t, List.of(new LineImage(2, new byte[LS - 1])), NONE),
                StoreException.Reason.INVALID_ARGUMENT, "has 63 bytes");
        assertReason(() -> store.flush(app, t,
                        List.of(new LineImage(2, line(LS, 2)), new LineImage(-5, line(LS, 2))), NONE),
                StoreException.Reason.INVALID_ARGUMENT, "bad line id -5");
        assertReason(() -> store.flush(app, t,
                        List.of(new LineImage(2, line(LS, 2)), new LineImage(2, line(LS, 3))), NONE),
                StoreException.Reason.INVALID_ARGUMENT, "written twice");
        assertReason(() -> store.flush(app, t, List.of(new LineImage(2, line(LS, 2))), new long[] {2}),
                StoreException.Reason.INVALID_ARGUMENT, "both written and deleted");
        assertReason(() -> store.flush(app, t, List.of(), new long[] {3, 3}),
                StoreException.Reason.INVALID_ARGUMENT, "deleted twice");
        assertReason(() -> store.flush(app, 0, List.of(new LineImage(2, line(LS, 2))), NONE),
                StoreException.Reason.FENCED, "need the heap lease");
        assertReason(() -> readCheckpoint(TestHeaps.app("ghost"), 0, 1), StoreException.Reason.NOT_FOUND, "no app named");
        assertReason(() -> readCheckpoint(app, 77, 1), StoreException.Reason.NOT_FOUND, "no checkpoint 77");
        assertReason(() -> readCheckpoint(app, -1, 1), StoreException.Reason.INVALID_ARGUMENT,
                "checkpoint id must be positive (0: the newest), got -1");
        assertReason(() -> store.deleteCheckpoint(app, 0), StoreException.Reason.INVALID_ARGUMENT,
                "name the checkpoint to delete by its id");
        assertReason(() -> store.renew(app, t, Duration.ofDays(1).toMillis()), StoreException.Reason.INVALID_ARGUMENT,
                "over the server's maximum");
        assertThat(contents(app, t, 0)).isEqualTo(Map.of(1L, 1));
    }

    private static void assertReason(Runnable r, StoreException.Reason reason, String message) {
        assertThatThrownBy(r::run).isInstanceOf(StoreException.class).hasMessageContaining(message)
                .extracting(e -> ((StoreException) e).reason()).isEqualTo(reason);
    }

    /**
     * A random walk of writes, deletes, commits, takeovers and resumes from random retained checkpoints,
     * checked against a plain in-memory model after every step: the holder's view and every retained
     * checkpoint restore exactly, and no unneeded version survives.
     */
    @Test
    void randomHistoriesMatchAModel() {
        StoreSettings keep3 = StoreSettings.defaults().withRetain(3);
        store = newStore(clock, keep3);
        java.util.Random random = new java.util.Random(20261125L);
        for (int history = 0; history < 4; history++) {
            String app = TestHeaps.app("model");
            OpenResult o = open(app, "dev-0");
            long token = o.lease().fencingToken();
            Map<Long, Integer> open = new TreeMap<>();                     // the holder's view
            TreeMap<Long, Map<Long, Integer>> checkpoints = new TreeMap<>();
            int device = 0;
            long openBase = 0;                    // the checkpoint the open epoch started from (0: none)
            boolean baseDeletedWhileOpen = false; // then versions it shadows wait for the next commit
            for (int step = 0; step < 80; step++) {
                int op = random.nextInt(11);
                if (op < 4) {
                    long id = random.nextInt(12);
                    int v = random.nextInt(60000);
                    write(app, token, id, v);
                    open.put(id, v);
                } else if (op < 5) {
                    long id = random.nextInt(12);
                    store.flush(app, token, List.of(), new long[] {id});
                    open.remove(id);
                } else if (op < 7) {
                    long cp = commit(app, token, "dev-" + device);
                    checkpoints.put(cp, new TreeMap<>(open));
                    while (checkpoints.size() > 3) {
                        checkpoints.pollFirstEntry();
                    }
                    openBase = cp;
                    baseDeletedWhileOpen = false;
                } else if (op < 9) {
                    // a takeover from the newest or a random retained checkpoint
                    clock.advance(Duration.ofMinutes(1));
                    device++;
                    long from = 0;
                    if (!checkpoints.isEmpty() && random.nextBoolean()) {
                        List<Long> keys = new ArrayList<>(checkpoints.keySet());
                        from = keys.get(random.nextInt(keys.size()));
                    }
                    OpenResult r = store.open(new PgHeapStore.OpenRequest(app, "dev-" + device, false, 0, 0, from, false));
                    token = r.lease().fencingToken();
                    openBase = from != 0 ? from : checkpoints.isEmpty() ? 0 : checkpoints.lastKey();
                    open = openBase == 0 ? new TreeMap<>() : new TreeMap<>(checkpoints.get(openBase));
                    baseDeletedWhileOpen = false;
                } else if (op < 10) {
                    store.close(app, token);
                    clock.advance(Duration.ofSeconds(1));
                    device++;
                    token = open(app, "dev-" + device).lease().fencingToken();
                    openBase = checkpoints.isEmpty() ? 0 : checkpoints.lastKey();
                    open = openBase == 0 ? new TreeMap<>() : new TreeMap<>(checkpoints.get(openBase));
                    baseDeletedWhileOpen = false;
                } else if (!checkpoints.isEmpty()) {
                    List<Long> keys = new ArrayList<>(checkpoints.keySet());
                    long victim = keys.get(random.nextInt(keys.size()));
                    store.deleteCheckpoint(app, victim);
                    checkpoints.remove(victim);
                    baseDeletedWhileOpen |= victim == openBase;
                }
                assertThat(contents(app, token, 0)).as("history %d step %d: holder view", history, step).isEqualTo(open);
                for (Map.Entry<Long, Map<Long, Integer>> e : checkpoints.entrySet()) {
                    assertThat(contents(app, 0, e.getKey())).as("history %d step %d: checkpoint %d", history, step, e.getKey())
                            .isEqualTo(e.getValue());
                }
                List<CheckpointRecord> listed = store.listCheckpoints(app);
                assertThat(listed).extracting(CheckpointRecord::checkpointId)
                        .containsExactlyElementsOf(checkpoints.descendingKeySet());
                for (CheckpointRecord c : listed) {
                    assertThat(c.lineCount()).as("history %d step %d: lines of checkpoint %d", history, step,
                            c.checkpointId()).isEqualTo(checkpoints.get(c.checkpointId()).size());
                }
                if (!baseDeletedWhileOpen) {
                    assertThat(garbageRows(o.heapId())).as("history %d step %d: unneeded versions", history, step).isZero();
                }
            }
            // bounded: versions of 12 lines, for 3 checkpoints and the open epoch
            assertThat(versionRows(o.heapId())).isLessThanOrEqualTo(12L * 4);
        }
    }
}
