package org.vheap.device.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.TestStores;
import org.vheap.server.store.StoreSettings;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/** The store contract on {@link GrpcHeapStore} against a real heap server (embedded PostgreSQL, loopback TCP). */
class GrpcHeapStoreTest extends HeapStoreContractTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();


    @Override
    HeapStore store() {
        return SERVER.store();
    }

    @Override
    void advance(Duration d) {
        SERVER.clock().advance(d);
    }

    @Override
    int retained() {
        return 3;   // HeapServerConfig's default
    }

    @Test
    void aSessionKnowsTheLeaseLengthTheServerGrantedAtTheOpenAndAtEachRenewal() {
        try (HeapSession asked = store().openHeap(new OpenRequest(TestHeaps.app("lease-asked"), "dev", true, 256,
                Duration.ofSeconds(7), 0));
             HeapSession byDefault = store().openHeap(new OpenRequest(TestHeaps.app("lease-default"), "dev", true,
                     256, Duration.ZERO, 0))) {
            assertThat(asked.leaseGranted()).isEqualTo(Duration.ofSeconds(7));
            assertThat(byDefault.leaseGranted()).isEqualTo(StoreSettings.defaults().defaultLease());
            byDefault.renewLease();
            assertThat(byDefault.leaseGranted()).isEqualTo(StoreSettings.defaults().defaultLease());
        }
    }

    @Test
    void anUnreachableServerIsUnavailable() {
        try (GrpcHeapStore nowhere = new GrpcHeapStore("127.0.0.1:1", Duration.ofSeconds(2))) {
            assertFails(() -> nowhere.openHeap(open(TestHeaps.app("nowhere"), "dev")),
                    StoreException.Reason.UNAVAILABLE, "open app");
        }
    }

    @Test
    void connectingAheadMakesACallThatChangesNothingAndDoesNotThrowWhenNothingAnswers() throws java.sql.SQLException {
        store().connect();
        assertThat(sql(GrpcHeapStore.PROBE_APP, "SELECT count(*) FROM heap WHERE app_name = ?")).isZero();
        try (GrpcHeapStore nowhere = new GrpcHeapStore("127.0.0.1:1", Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            nowhere.connect();
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void aSessionCountsItsFlushesAndIsRefusedOnceTheDatabaseLostOne() throws java.sql.SQLException {
        String app = TestHeaps.app("lost-flush");
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            s.commit(List.of(img(0, 0)), new long[0], new byte[0], java.util.Map.of());
            s.flush(List.of(img(1, 1)), new long[0]);
            s.flush(List.of(), new long[0]);   // nothing: not a counted flush
            // a flush the store applied whose answer was lost (as after a deadline): the store is one ahead
            sql(app, "UPDATE heap SET open_flushes = open_flushes + 1 WHERE app_name = ? RETURNING 0");
            s.flush(List.of(), new long[] {0});   // its answer says 3, which the session is told of from now on
            s.read(new long[] {1});
            assertThat(sql(app, "SELECT open_flushes FROM heap WHERE app_name = ?")).isEqualTo(3);

            // the database crashes and loses the session's last flush (an asynchronous commit): the deletion of line 0
            sql(app, "UPDATE heap SET open_flushes = 2 WHERE app_name = ? RETURNING 0");
            assertFails(() -> s.read(new long[] {1}), StoreException.Reason.FLUSHES_LOST, "holds 2 of the 3");
            assertFails(() -> s.flush(List.of(img(2, 2)), new long[0]), StoreException.Reason.FLUSHES_LOST, "lost flushes");
            assertFails(() -> s.commit(List.of(), new long[0], new byte[0], java.util.Map.of()),
                    StoreException.Reason.FLUSHES_LOST, "resume the app from its last checkpoint");
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {   // resumed from its checkpoint
            byte[][] lines = s.read(new long[] {0, 1, 2});
            assertThat(lines[0]).isEqualTo(TestHeaps.line(LINE, 0));
            assertThat(lines[1]).isNull();
            assertThat(lines[2]).isNull();
        }
    }

    private static long sql(String app, String query) throws java.sql.SQLException {
        try (java.sql.Connection c = SERVER.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, app);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aCheckpointOfThousandsOfLinesAndItsVmStateRoundTrip() {
        String app = TestHeaps.app("big");
        List<LineImage> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add(img(i, i));
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            s.commit(lines, new long[0], new byte[1 << 16], java.util.Map.of());
        }
        try (HeapSession s = store().openHeap(open(app, "dev"))) {
            byte[][] r = s.read(new long[] {0, 2500, 4999});
            assertThat(r[1]).isEqualTo(TestHeaps.line(LINE, 2500));
            assertThat(r[2]).isEqualTo(TestHeaps.line(LINE, 4999));
            assertThat(s.baseVmState()).hasSize(1 << 16);
        }
    }
}
