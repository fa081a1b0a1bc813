package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.store.PgHeapStore;
import org.vheap.server.store.StoreSettings;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;
import org.vheap.server.testing.CliRun;

/**
 * {@code vheap after-restore} on a store as a physical restore leaves it (the same cluster, database and tables, so no
 * heap server can tell): the lease held is fenced, the app opens again from its checkpoint, and the tokens and
 * checkpoint ids issued after it are past the floors it printed. Bad options are refused in one line, changing nothing.
 */
class AfterRestoreCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final long[] NONE = new long[0];

    @Test
    void fencesEveryLeaseAndMovesTokensAndCheckpointIdsPastTheClock() throws Exception {
        String url;
        String user;
        String database = "vheap_after_restore_" + System.nanoTime();
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            url = c.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
            user = c.getMetaData().getUserName();
        }
        long held;
        long checkpoint;
        try (HeapDatabase db = HeapDatabase.external(url, user, "", 2)) {
            PgHeapStore store = store(db);
            held = store.open(new PgHeapStore.OpenRequest("app", "dev-1", true, 64, 0, 0, false)).lease().fencingToken();
            store.flush("app", held, List.of(new LineImage(1, new byte[64])), NONE);
            checkpoint = store.commit("app", held, "dev-1", new byte[] {1}, Map.of(), List.of(), NONE).checkpoint().checkpointId();
        }

        CliRun noUrl = CliRun.of("after-restore", "--db-user", user);
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.err()).contains("--db-user needs --db-url");
        CliRun badUrl = CliRun.of("after-restore", "--db-url", "postgres://localhost/" + database, "--db-user", user);
        assertThat(badUrl.exit()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--db-url must be a PostgreSQL JDBC URL");
        try (HeapDatabase db = HeapDatabase.external(url, user, "", 2)) {   // the refusals changed nothing
            store(db).flush("app", held, List.of(new LineImage(2, new byte[64])), NONE);
        }

        CliRun fenced = CliRun.of("after-restore", "--db-url", url, "--db-user", user);
        assertThat(fenced.exit()).as(fenced.err()).isZero();
        Matcher m = Pattern.compile("fenced 1 lease\\(s\\) \\(apps app\\); fencing tokens go on past (\\d+) and checkpoint"
                + " ids past (\\d+)").matcher(fenced.out());
        assertThat(m.find()).as(fenced.out()).isTrue();
        long tokenFloor = Long.parseLong(m.group(1));
        long epochFloor = Long.parseLong(m.group(2));
        assertThat(tokenFloor).isGreaterThan(1_000_000L * 1_700_000_000L);   // microseconds since 1970, past 2023

        try (HeapDatabase db = HeapDatabase.external(url, user, "", 2)) {
            PgHeapStore store = store(db);
            assertThatThrownBy(() -> store.flush("app", held, List.of(new LineImage(1, new byte[64])), NONE))
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED));
            var reopened = store.open(new PgHeapStore.OpenRequest("app", "dev-2", false, 64, 0, 0, false));
            assertThat(reopened.baseCheckpoint().checkpointId()).isEqualTo(checkpoint);
            assertThat(reopened.lease().fencingToken()).isGreaterThan(tokenFloor);
            long next = store.commit("app", reopened.lease().fencingToken(), "dev-2", new byte[] {2}, Map.of(), List.of(),
                    NONE).checkpoint().checkpointId();
            assertThat(next).isGreaterThan(epochFloor);
        }
    }

    @Test
    void onTheEmbeddedDatabaseOfADataDirectory() {
        java.nio.file.Path data = TestHeaps.tempDir("vheap-after-restore");
        try {
            try (HeapDatabase db = HeapDatabase.embedded(data, 2)) {
                store(db).open(new PgHeapStore.OpenRequest("app", "dev-1", true, 64, 0, 0, false));
            }
            CliRun nowhere = CliRun.of("after-restore", "--data", data.resolve("missing").toString());
            assertThat(nowhere.exit()).isEqualTo(2);
            assertThat(nowhere.err()).contains("holds no store");
            assertThat(data.resolve("missing")).doesNotExist();
            CliRun fenced = CliRun.of("after-restore", "--data", data.toString());
            assertThat(fenced.exit()).as(fenced.err()).isZero();
            assertThat(fenced.out()).contains("fenced 1 lease(s) (apps app)");
        } finally {
            TestHeaps.deleteRecursively(data);
        }
    }

    private static PgHeapStore store(HeapDatabase db) {
        return new PgHeapStore(db.dataSource(), Clock.systemUTC(), StoreSettings.defaults(), Runnable::run);
    }
}
