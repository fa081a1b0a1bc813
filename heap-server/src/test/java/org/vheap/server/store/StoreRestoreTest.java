package org.vheap.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vheap.server.testing.TestHeaps.line;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

/**
 * A store backed up with {@code pg_dump} while devices hold leases, used on after the backup, then restored with
 * {@code pg_restore}, into a new database and in place: the heap server that opens the restored store fences it
 * ({@link StoreIdentity}, {@link RestoreFence}). A device that held a lease at the backup is FENCED; fencing tokens and
 * checkpoint ids go on past every one issued before the restore, after the backup too; every app opens from its newest
 * checkpoint in the backup, with that checkpoint's lines; a store opened again where it is is not fenced.
 *
 * <p>The tools are Debian's PostgreSQL 15 client programs ({@code /usr/lib/postgresql/15/bin}, installed with the
 * Citus tests' PostgreSQL by {@code ../shared/citus/build.sh}); without them this class is skipped, and with
 * {@code VHEAP_CITUS_TESTS=required} (CI) it fails instead.
 */
class StoreRestoreTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final Path BIN = Path.of(System.getProperty("vheap.pg.bin", "/usr/lib/postgresql/15/bin"));
    private static final int LS = 64;
    private static final long[] NONE = new long[0];

    /** Every fencing token and checkpoint id the test saw issued, to compare the restored store's with. */
    private final List<Long> tokens = new ArrayList<>();
    private final List<Long> checkpoints = new ArrayList<>();

    @Test
    void aRestoredStoreFencesEveryLeaseAndNeverIssuesATokenOrCheckpointIdAgain() throws Exception {
        Path pgDump = tool("pg_dump");
        Path pgRestore = tool("pg_restore");
        String source = createDatabase("vheap_backup_");
        Path dump = Files.createTempFile("vheap-store-", ".dump");
        try {
            long c1;
            try (HeapDatabase db = open(source)) {
                PgHeapStore store = store(db);
                assertThat(StoreIdentity.check(db.dataSource(), Clock.systemUTC())).as("opened again where it is").isNull();
                long t1 = open(store, "a", "dev-1");
                write(store, "a", t1, 1, 1);
                write(store, "a", t1, 2, 1);
                c1 = commit(store, "a", t1, "dev-1");
                write(store, "a", t1, 1, 2);   // flushed into the open epoch, never committed
                long tb = open(store, "b", "dev-2");
                write(store, "b", tb, 7, 5);
                long cb = commit(store, "b", tb, "dev-2");
                store.close("b", tb);

                run(pgDump.toString(), "-Fc", "-f", dump.toString(), "-h", "localhost", "-p", port(source), "-U", user(),
                        database(source));

                write(store, "a", t1, 1, 3);   // after the backup: lost with the restore
                commit(store, "a", t1, "dev-1");
                long tc = open(store, "c", "dev-3");
                write(store, "c", tc, 1, 9);
                commit(store, "c", tc, "dev-3");
                open(store, "b", "dev-2");

                String restored = createDatabase("vheap_restored_");
                run(pgRestore.toString(), "--no-owner", "-h", "localhost", "-p", port(restored), "-U", user(),
                        "-d", database(restored), dump.toString());
                checkRestored(restored, t1, c1, cb);
            }
            // in place: pg_restore --clean into the database the dump came from, after it went on past the backup
            run(pgRestore.toString(), "--clean", "--if-exists", "--no-owner", "-h", "localhost", "-p", port(source),
                    "-U", user(), "-d", database(source), dump.toString());
            checkRestored(source, tokens.get(0), c1, 0);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /**
     * Opens the store restored in {@code url} (its opening fences it) and checks it: app {@code a}'s holder at the backup
     * (token {@code t1}) is fenced, {@code a} opens from {@code c1} with c1's lines, {@code c} (made after the backup)
     * is not there, {@code b} opens from {@code cb} (unless 0), and every new token and checkpoint id is larger than
     * any the test saw before.
     */
    private void checkRestored(String url, long t1, long c1, long cb) {
        long tokenBefore = tokens.stream().mapToLong(Long::longValue).max().orElseThrow();
        long checkpointBefore = checkpoints.stream().mapToLong(Long::longValue).max().orElseThrow();
        try (HeapDatabase db = open(url)) {
            PgHeapStore store = store(db);
            assertThat(store.app("a").lease()).as("the backup's lease on a, fenced").isNotNull();
            assertThat(store.app("a").lease().fencingToken()).isGreaterThan(tokenBefore);
            assertThatThrownBy(() -> write(store, "a", t1, 1, 4)).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED));
            assertThatThrownBy(() -> store.renew("a", t1, 0)).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).reason()).isEqualTo(StoreException.Reason.FENCED));
            assertThat(store.listApps()).extracting(AppRecord::app).doesNotContain("c");
            assertThat(store.listCheckpoints("a").get(0).checkpointId()).isEqualTo(c1);

            OpenResult a = store.open(new PgHeapStore.OpenRequest("a", "dev-4", false, LS, 0, 0, false));
            assertThat(a.lease().fencingToken()).isGreaterThan(tokenBefore);
            assertThat(a.baseCheckpoint().checkpointId()).isEqualTo(c1);
            Map<Long, byte[]> lines = store.transact("a", a.lease().fencingToken(), 0, new long[] {1, 2}, List.of(), NONE);
            assertThat(lines.get(1L)).isEqualTo(line(LS, 1));
            assertThat(lines.get(2L)).isEqualTo(line(LS, 1));
            long next = commit(store, "a", a.lease().fencingToken(), "dev-4");
            assertThat(next).isGreaterThan(checkpointBefore);
            tokens.add(a.lease().fencingToken());
            if (cb != 0) {
                OpenResult b = store.open(new PgHeapStore.OpenRequest("b", "dev-5", false, LS, 0, 0, false));
                assertThat(b.baseCheckpoint().checkpointId()).isEqualTo(cb);
                tokens.add(b.lease().fencingToken());
            }
        }
        try (HeapDatabase again = open(url)) {   // a restart where it is: not fenced again
            PgHeapStore store = store(again);
            write(store, "a", tokens.get(tokens.size() - (cb != 0 ? 2 : 1)), 3, 1);
        }
    }

    private long open(PgHeapStore store, String app, String device) {
        long token = store.open(new PgHeapStore.OpenRequest(app, device, true, LS, 0, 0, false)).lease().fencingToken();
        tokens.add(token);
        return token;
    }

    private long commit(PgHeapStore store, String app, long token, String device) {
        long id = store.commit(app, token, device, new byte[] {1}, Map.of(), List.of(), NONE).checkpoint().checkpointId();
        checkpoints.add(id);
        return id;
    }

    private static void write(PgHeapStore store, String app, long token, long lineId, int value) {
        store.flush(app, token, List.of(new LineImage(lineId, line(LS, value))), NONE);
    }

    private static PgHeapStore store(HeapDatabase db) {
        return new PgHeapStore(db.dataSource(), Clock.systemUTC(), StoreSettings.defaults(), Runnable::run);
    }

    private static HeapDatabase open(String url) {
        return HeapDatabase.external(url, user(), "", 2);
    }

    private static String createDatabase(String prefix) {
        return DB.createDatabase(prefix);
    }

    private static String user() {
        return DB.user();
    }

    private static String port(String url) {
        return part(url, 2);
    }

    private static String database(String url) {
        return part(url, 3);
    }

    private static String part(String url, int group) {
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/([^/?]+)").matcher(url);
        if (!m.find()) {
            throw new IllegalStateException("no host, port and database in " + url);
        }
        return m.group(group);
    }

    private static Path tool(String name) {
        Path tool = BIN.resolve(name);
        if (!Files.isExecutable(tool)) {
            String why = "no " + tool + " (Debian's postgresql-client-15; ../shared/citus/build.sh installs it)";
            if ("required".equals(System.getenv("VHEAP_CITUS_TESTS"))) {
                throw new AssertionError("VHEAP_CITUS_TESTS=required, but " + why);
            }
            Assumptions.abort(why);
        }
        return tool;
    }

    private static void run(String... command) throws Exception {
        Path log = Files.createTempFile("vheap-pg-tool-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("%s finished within 2 minutes", command[0]).isTrue();
            assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), Files.readString(log)).isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
