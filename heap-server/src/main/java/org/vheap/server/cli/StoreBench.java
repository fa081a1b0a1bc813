package org.vheap.server.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.vheap.bench.BenchRun;
import org.vheap.bench.Interleaving;
import org.vheap.cli.CliValues;
import org.vheap.cli.LatencyFormat;
import org.vheap.cli.LatencySamples;
import org.vheap.cli.OneLineErrors;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.TextTable;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.ServerUnreachable;
import org.vheap.proto.v1.CommitCheckpointRequest;
import org.vheap.proto.v1.CommitCheckpointResponse;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.LineBatch;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import org.vheap.server.store.LineVersions;
import org.vheap.server.store.PgHeapStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vheap bench store}: the heap store's round trips and checkpoint throughput over gRPC, measured
 * side by side with the same SQL work done directly over one JDBC connection on the same database.
 *
 * <p>Without {@code --server} it starts its own heap server on a fresh embedded PostgreSQL (built as
 * {@code vheap server} builds it: same pool size, message limit and retention), bound to 127.0.0.1, and
 * opens the raw JDBC connection to that database. Two apps are created: {@code bench-<random>} is the heap
 * the gRPC side uses (and the JDBC side reads), {@code bench-<random>-jdbc} owns the line versions the JDBC
 * side writes, so those land in the same table and indexes without disturbing the heap under test. Both
 * are deleted at the end (also on Ctrl-C), and so is the temporary data directory.
 *
 * <p>What is compared (the ratio is gRPC time / JDBC time):
 * <ul>
 *   <li>empty call: a gRPC health check vs. {@code SELECT 1}, the transport floor under every call;</li>
 *   <li>line read: Transact with the fencing token and one read id, vs. PgHeapStore's versioned read
 *       ({@code SELECT DISTINCT ON ... epoch <@ lineage}) of the same line;</li>
 *   <li>small write: Transact writing one line, vs. one {@code INSERT ... ON CONFLICT} in its own
 *       (auto-committed) transaction; each measured write is a line's first version in the epoch;</li>
 *   <li>checkpoint: CommitCheckpoint streaming {@code --checkpoint-mib} of dirty lines in ~1 MiB messages
 *       under gRPC flow control, from the start of the call to the response, vs. the same lines inserted
 *       with PgHeapStore's batched {@code unnest} INSERT (8 MiB per statement) in one transaction, timed to
 *       its commit.</li>
 * </ul>
 *
 * <p>It measures the steady state of a long-running server, so it first: warms up the JIT with 20 s of
 * mixed calls (on 2 cores a gRPC round trip keeps getting faster for ~15 s); runs ANALYZE once after
 * populating (a fresh database has no planner statistics until autovacuum's first pass, and without them
 * the version reclaim of the first pruning checkpoint takes minutes); commits two warm-up checkpoints, so
 * every measured one prunes one as at the default retention every commit of a long-lived heap does; and
 * runs a database CHECKPOINT (untimed) before each timed checkpoint, so no WAL-forced one lands inside a
 * run. The two sides alternate in blocks so drift in the machine hits both; every phase has a time cap and
 * each gRPC checkpoint a deadline, so the whole run stays under two minutes. Warm-up, interleaving and
 * clean-up are the benches' shared harness ({@link org.vheap.bench}); this class holds what it measures.
 */
@Command(name = "store", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Heap-store round trips and checkpoint throughput, gRPC vs raw JDBC.",
                "",
                "Starts its own heap server on a fresh embedded PostgreSQL on 127.0.0.1 (or uses --server), warms up,"
                        + " then prints side by side: p50/p99 of an empty call, of a one-line read and of a one-line"
                        + " write, checkpoint throughput for --checkpoint-mib of dirty lines, and the same SQL work"
                        + " done directly over JDBC on the same database, with the ratio gRPC time / JDBC time.",
                "Steady state: 20 s of JIT warm-up, ANALYZE after populating, two warm-up checkpoints (so every"
                        + " measured one prunes one), a database CHECKPOINT before each timed checkpoint. About a minute.",
                "Targets on loopback: line read p50 <= 300 us, checkpoint >= 100 MB/s, overhead vs raw JDBC <= 1.5x.",
                ""})
final class StoreBench implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "use this running heap server instead of starting one (the raw JDBC column then needs --db-url and --db-user of its database)")
    String server;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "with --server: JDBC URL of that server's database (jdbc:postgresql://HOST:PORT/DB), for the raw JDBC column")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "with --db-url: database user")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:VHEAP_DB_PASSWORD}",
            description = "with --db-url: database password (or set VHEAP_DB_PASSWORD)")
    String dbPassword;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data directory of the embedded database (default: a fresh temporary directory, deleted at the end)")
    Path data;

    @Option(names = "--line-size", defaultValue = "4096", paramLabel = "BYTES",
            description = "line size of the bench heap, a power of two from 64 to 1 MiB (default: ${DEFAULT-VALUE})")
    int lineSize;

    @Option(names = "--reads", defaultValue = "5000", paramLabel = "N",
            description = "measured one-line reads per side (default: ${DEFAULT-VALUE})")
    int reads;

    @Option(names = "--writes", defaultValue = "2000", paramLabel = "N",
            description = "measured one-line writes per side (default: ${DEFAULT-VALUE})")
    int writes;

    @Option(names = "--checkpoint-mib", defaultValue = "64", paramLabel = "MIB",
            description = "dirty lines per checkpoint, in MiB (default: ${DEFAULT-VALUE})")
    int checkpointMib;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "measured checkpoints per side, after warm-up; best and median are reported (default: ${DEFAULT-VALUE})")
    int runs;

    /** The store's versioned read of a view. */
    private static final String READ_SQL = LineVersions.READ_SQL;
    /**
     * One line, one statement, its own transaction: the plainest JDBC write of one line. The bench keeps its
     * own copy because the store has no one-row statement (its INSERT, {@link LineVersions#WRITE_SQL}, takes
     * arrays and its template is private); it must stay the same INSERT as that one (table, columns and
     * {@code ON CONFLICT ... DO UPDATE}), only with one row of {@code VALUES}.
     */
    private static final String WRITE_ONE_SQL = "INSERT INTO line_version (heap_id, line_id, epoch, data)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (heap_id, line_id, epoch) DO UPDATE SET data = EXCLUDED.data";
    /** The store's batched write of line versions. */
    private static final String WRITE_MANY_SQL = LineVersions.WRITE_SQL;
    /** Line bytes per INSERT on the JDBC side: the store's own limit. */
    private static final int STATEMENT_BYTES = LineVersions.STATEMENT_BYTES;
    /** Line bytes per CommitCheckpoint message and per populating Transact. */
    private static final int MESSAGE_BYTES = 1 << 20;
    /** The heap the reads and writes go to: this much of committed lines. */
    private static final long POPULATE_BYTES = 16 << 20;
    private static final String DEVICE = "bench";

    /** Mixed calls first: on 2 cores C2 needs ~15 s of calls before a gRPC round trip stops getting faster. */
    private static final long JIT_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int WARMUP_MIN_OPS = 500;
    private static final long WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(2500);
    private static final long WARMUP_CAP_NANOS = TimeUnit.SECONDS.toNanos(6);
    /** Warm-up writes go to lines from here on, apart from the measured ones. */
    private static final long WARMUP_LINES = 1L << 32;
    private static final long MEASURE_CAP_NANOS = TimeUnit.SECONDS.toNanos(12);
    private static final long CHECKPOINT_CAP_NANOS = TimeUnit.SECONDS.toNanos(45);

    private static final long READ_P50_TARGET_NANOS = 300_000;
    private static final double CHECKPOINT_TARGET_MBS = 100;
    private static final double OVERHEAD_TARGET = 1.5;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final LatencyFormat latencyFormat = new LatencyFormat();
    private final String micro = latencyFormat.micro();
    private final Interleaving interleaving = new Interleaving(System::nanoTime);

    // the run's state (the clean-up actions, maybe on the shutdown hook's thread, read the volatile ones)
    private BenchRun run;
    private volatile boolean ownServer;
    private volatile ManagedChannel channel;
    private volatile HeapStoreGrpc.HeapStoreBlockingStub stub;
    private volatile Connection jdbc;
    private HealthGrpc.HealthBlockingStub health;
    private String app;
    private String jdbcApp;
    private long token;
    private long heapId;
    private long jdbcHeapId;
    private long jdbcEpoch;
    private String lineage;
    private int populated;
    private byte[][] lines;
    private ByteString[] wrapped;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        SplittableRandom random = new SplittableRandom();
        app = "bench-" + Long.toHexString(random.nextLong() >>> 24);
        jdbcApp = app + "-jdbc";
        // Ctrl-C: still delete the bench apps and the temporary database
        try (BenchRun run = new BenchRun("bench store", err, System::nanoTime).closeOnInterrupt()) {
            this.run = run;
            String target;
            String where;
            String jdbcNote = null;
            if (server == null) {
                Path dir = data != null ? data : run.tempDir("vheap-bench-");
                progress("starting a heap server on an embedded PostgreSQL under " + dir.toAbsolutePath());
                // exactly what `vheap server` runs; the raw JDBC side borrows a connection of its pool
                HeapServerInstance instance = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                        .setDataDir(dir), Clock.systemUTC());
                run.atEnd("stop the heap server", interrupted -> instance.close());
                ownServer = true;
                target = instance.address();
                jdbc = instance.dataSource().getConnection();
                closeJdbcAtEnd();
                jdbc.setAutoCommit(true);
                where = target + " (own server), embedded PostgreSQL " + pgVersion() + " on " + fileSystem(dir);
            } else {
                target = server;
                if (dbUrl != null) {
                    connectToServersDatabase();
                    where = target + ", PostgreSQL " + pgVersion() + " at " + dbUrl;
                } else {
                    where = target + ", its database unknown";
                    jdbcNote = "raw JDBC column skipped: pass --db-url and --db-user of the server's database to measure it";
                }
            }
            channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
            run.atEnd("close the channel to " + target, interrupted -> StoreTarget.shutdown(channel));
            stub = HeapStoreGrpc.newBlockingStub(channel);
            health = HealthGrpc.newBlockingStub(channel);

            prepareData(random);
            progress("creating app " + app + " and writing " + SizeFormat.bytes((long) populated * lineSize) + " of lines");
            OpenHeapResponse opened;
            try {
                opened = stub.withDeadlineAfter(30, TimeUnit.SECONDS).openHeap(OpenHeapRequest.newBuilder()
                        .setApp(app).setDevice(DEVICE).setCreate(true).setLineSize(lineSize).build());
            } catch (StatusRuntimeException e) {
                // the measured channel has no status hints (no interceptor in the measured path): say it here
                throw ServerUnreachable.explain(e.getStatus(), target)
                        .map(s -> (RuntimeException) new IllegalStateException("UNAVAILABLE: " + s, e)).orElse(e);
            }
            if (!opened.getCreated()) {
                throw new IllegalStateException("app " + app + " already existed; run the benchmark again");
            }
            deleteAtEnd(app);
            token = opened.getLease().getFencingToken();
            heapId = opened.getHeapId();
            populate();
            if (jdbc != null) {
                OpenHeapResponse other = stub.withDeadlineAfter(30, TimeUnit.SECONDS).openHeap(OpenHeapRequest.newBuilder()
                        .setApp(jdbcApp).setDevice(DEVICE).setCreate(true).setLineSize(lineSize).build());
                if (!other.getCreated()) {
                    throw new IllegalStateException("app " + jdbcApp + " already existed; run the benchmark again");
                }
                deleteAtEnd(jdbcApp);
                jdbcHeapId = other.getHeapId();
                locateHeapsInDatabase();
                analyze();
            }

            boolean hasHealth = hasHealth();
            warmUpJit(hasHealth);
            LatencySamples[] empty = hasHealth ? latency("empty calls", reads, this::grpcEmpty, jdbc == null ? null : this::jdbcEmpty) : null;
            LatencySamples[] read = latency("line reads", reads, this::grpcRead, jdbc == null ? null : this::jdbcRead);
            LatencySamples[] write = latency("one-line writes", writes, this::grpcWrite, jdbc == null ? null : this::jdbcWrite);
            long[][] checkpoint = checkpoints();

            report(where, jdbcNote, empty, read, write, checkpoint);
            return 0;
        }
    }

    /**
     * Deletes a bench app at the end, through the channel (closed after): on Ctrl-C with the bench's own
     * server not at all (its database goes anyway) and else within 5 s, normally within 60 s.
     */
    private void deleteAtEnd(String a) {
        run.atEnd("delete app " + a, interrupted -> {
            if (interrupted && ownServer) {
                return;
            }
            try {
                stub.withDeadlineAfter(interrupted ? 5 : 60, TimeUnit.SECONDS).deleteApp(
                        DeleteAppRequest.newBuilder().setApp(a).setForce(true).build());
            } catch (RuntimeException e) {
                run.note("could not delete app " + a + ": " + OneLineErrors.oneLine(e)
                        + (ownServer ? "" : " (delete it with: ./vheap delete-app --app " + a + " --force)"));
            }
        });
    }

    private void closeJdbcAtEnd() {
        Connection c = jdbc;
        run.atEnd("close the JDBC connection", interrupted -> c.close());
    }

    /** The JDBC connection for --db-url, after checking that it reaches a vheap store. */
    private void connectToServersDatabase() throws SQLException {
        try {
            jdbc = DriverManager.getConnection(dbUrl, dbUser, dbPassword == null ? "" : dbPassword);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to --db-url " + dbUrl + ": " + e.getMessage(), e);
        }
        closeJdbcAtEnd();
        try (PreparedStatement ps = jdbc.prepareStatement("SELECT to_regclass('heap') IS NOT NULL"
                + " AND to_regclass('line_version') IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalArgumentException("the database at --db-url " + dbUrl
                        + " holds no vheap store (no heap and line_version tables): pass the --server's own database");
            }
        }
    }

    private void checkOptions() {
        CliValues.powerOfTwo("--line-size", lineSize, PgHeapStore.MIN_LINE_SIZE, PgHeapStore.MAX_LINE_SIZE);
        if (reads < 10 || writes < 10) {
            throw new IllegalArgumentException("--reads and --writes must be at least 10 (percentiles need samples)");
        }
        CliValues.range("--checkpoint-mib", checkpointMib, 1, 1024);
        CliValues.range("--runs", runs, 1, 20);
        if (server != null) {
            CliValues.hostPort("--server", server);
            if (data != null) {
                throw new IllegalArgumentException("--data is for the bench's own server; with --server it has none");
            }
            if (dbUrl != null && dbUser == null) {
                throw new IllegalArgumentException("--db-url needs --db-user");
            }
            if (dbUrl == null && dbUser != null) {
                throw new IllegalArgumentException("--db-user needs --db-url");
            }
            if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), got " + dbUrl);
            }
        } else if (dbUrl != null || dbUser != null) {
            throw new IllegalArgumentException("--db-url and --db-user go with --server; without it the bench uses its own embedded database");
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Setup

    /** The checkpoint's lines (random, so incompressible), shared by both sides and every run. */
    private void prepareData(SplittableRandom random) {
        int count = checkpointLines();
        lines = new byte[count][];
        wrapped = new ByteString[count];
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[lineSize];
            random.nextBytes(b);
            lines[i] = b;
            wrapped[i] = UnsafeByteOperations.unsafeWrap(b);
        }
        populated = (int) Math.max(16, POPULATE_BYTES / lineSize);
    }

    private int checkpointLines() {
        return (int) Math.max(1, ((long) checkpointMib << 20) / lineSize);
    }

    private int linesPerMessage() {
        return Math.max(1, MESSAGE_BYTES / lineSize);
    }

    private Line line(long id) {
        return Line.newBuilder().setLineId(id).setData(wrapped[(int) (id % wrapped.length)]).build();
    }

    /** Lines 0..populated-1 written with Transact in ~1 MiB batches, then committed. */
    private void populate() throws Exception {
        int per = linesPerMessage();
        for (int start = 0; start < populated; start += per) {
            TransactRequest.Builder b = TransactRequest.newBuilder().setApp(app).setFencingToken(token);
            for (int id = start; id < Math.min(populated, start + per); id++) {
                b.addWrites(line(id));
            }
            stub.withDeadlineAfter(30, TimeUnit.SECONDS).transact(b.build());
        }
        commit(List.of());
    }

    /** Finds both heaps' rows in the JDBC database: proves it is the server's, and gives the view to read. */
    private void locateHeapsInDatabase() throws SQLException {
        try (PreparedStatement ps = jdbc.prepareStatement(
                "SELECT heap_id, open_epoch, open_lineage::text FROM heap WHERE app_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != heapId) {
                    throw new IllegalArgumentException("the database at --db-url does not hold app " + app
                            + " that the server just created: pass the --server's own database");
                }
                lineage = rs.getString(3);
            }
            ps.setString(1, jdbcApp);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != jdbcHeapId) {
                    throw new IllegalStateException("app " + jdbcApp + " is not in the database");
                }
                jdbcEpoch = rs.getLong(2);
            }
        }
    }

    /**
     * Gives the planner statistics, as autovacuum does on a server that has been up a minute: a fresh
     * database has none, and then the version reclaim of the first checkpoint that prunes one takes
     * minutes (a nested-loop plan over the heap's versions) instead of about a second.
     */
    private void analyze() throws SQLException {
        try (PreparedStatement ps = jdbc.prepareStatement("ANALYZE heap, checkpoint, line_version")) {
            ps.execute();
        }
    }

    /** Whether the server answers gRPC health checks (a vheap server does; a proxy in front may not). */
    private boolean hasHealth() {
        try {
            health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            progress("no gRPC health service at the server (" + e.getStatus().getCode() + "): no empty-call row");
            return false;
        }
    }

    private void renew() {
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).renewLease(RenewLeaseRequest.newBuilder()
                .setApp(app).setFencingToken(token).build());
    }

    // -----------------------------------------------------------------------------------------------------
    // Round trips

    @FunctionalInterface
    private interface Op {
        /** Runs one operation; {@code index} counts this side's warm-up operations, then its measured ones, from 0. */
        void run(long index, boolean warmup, SplittableRandom random) throws Exception;
    }

    /** The transport floor: a gRPC call that does no work (health check), a JDBC statement that does none. */
    private void grpcEmpty(long index, boolean warmup, SplittableRandom random) {
        health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    private void jdbcEmpty(long index, boolean warmup, SplittableRandom random) throws SQLException {
        try (PreparedStatement ps = jdbc.prepareStatement("SELECT 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private void grpcRead(long index, boolean warmup, SplittableRandom random) {
        long id = random.nextInt(populated);
        TransactResponse r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).transact(TransactRequest.newBuilder()
                .setApp(app).setFencingToken(token).addReadLineIds(id).build());
        if (r.getLinesCount() != 1 || r.getLines(0).getData().size() != lineSize) {
            throw new IllegalStateException("read of line " + id + " returned " + r.getLinesCount() + " lines");
        }
    }

    private void jdbcRead(long index, boolean warmup, SplittableRandom random) throws SQLException {
        long id = random.nextInt(populated);
        try (PreparedStatement ps = jdbc.prepareStatement(READ_SQL)) {
            ps.setLong(1, heapId);
            ps.setArray(2, jdbc.createArrayOf("int8", new Long[] {id}));
            ps.setString(3, lineage);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(2).length != lineSize) {
                    throw new IllegalStateException("JDBC read of line " + id + " found nothing");
                }
            }
        }
    }

    /**
     * The line a write goes to. Measured writes go to the populated lines in turn, so (up to
     * {@code populated} writes) each is the line's first version in the open epoch, on both sides; warm-up
     * writes go to lines of their own.
     */
    private long writeTarget(long index, boolean warmup) {
        return warmup ? WARMUP_LINES + index % 1024 : index % populated;
    }

    private void grpcWrite(long index, boolean warmup, SplittableRandom random) {
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).transact(TransactRequest.newBuilder()
                .setApp(app).setFencingToken(token).addWrites(line(writeTarget(index, warmup))).build());
    }

    private void jdbcWrite(long index, boolean warmup, SplittableRandom random) throws SQLException {
        long id = writeTarget(index, warmup);
        try (PreparedStatement ps = jdbc.prepareStatement(WRITE_ONE_SQL)) {
            ps.setLong(1, jdbcHeapId);
            ps.setLong(2, id);
            ps.setLong(3, jdbcEpoch);
            ps.setBytes(4, lines[(int) (id % lines.length)]);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("JDBC write of line " + id + " changed nothing");
            }
        }
    }

    /**
     * Warms up the JIT on every path measured later, both sides, for {@link #JIT_WARMUP_NANOS}: a bench of
     * the steady state of a long-running server and client, not of their first seconds. Shows how the gRPC
     * read round trip comes down meanwhile.
     */
    private void warmUpJit(boolean hasHealth) throws Exception {
        progress("warming up the JIT for " + TimeUnit.NANOSECONDS.toSeconds(JIT_WARMUP_NANOS) + " s (mixed calls"
                + (jdbc == null ? ")" : ", both sides)"));
        renew();
        SplittableRandom random = new SplittableRandom(7);
        long t0 = System.nanoTime();
        long index = 0;
        long slice = t0;
        LatencySamples reads = new LatencySamples();
        List<String> curve = new ArrayList<>();
        while (System.nanoTime() - t0 < JIT_WARMUP_NANOS) {
            for (int i = 0; i < 10; i++) {
                long r0 = System.nanoTime();
                grpcRead(index, true, random);
                reads.add(System.nanoTime() - r0);
                if (hasHealth) {
                    grpcEmpty(index, true, random);
                }
                if (jdbc != null) {
                    jdbcRead(index, true, random);
                    jdbcEmpty(index, true, random);
                }
                index++;
            }
            grpcWrite(index, true, random);
            if (jdbc != null) {
                jdbcWrite(index, true, random);
            }
            if (System.nanoTime() - slice >= TimeUnit.SECONDS.toNanos(4)) {
                curve.add(latencyFormat.format(reads.percentile(50)));
                reads = new LatencySamples();
                slice = System.nanoTime();
            }
        }
        progress("gRPC read p50 during warm-up, every 4 s: " + String.join(", ", curve));
    }

    /**
     * Warm-up (until both sides ran {@link #WARMUP_MIN_OPS} and {@link #WARMUP_NANOS} passed: the JIT needs
     * time, not just calls), then {@code n} measured operations per side, the sides alternating in blocks
     * (and which goes first alternating too). A side stops early when its time cap is reached. Each side
     * draws its lines from its own random sequence (seeded 42 and 43).
     */
    private LatencySamples[] latency(String what, int n, Op grpc, Op direct) throws Exception {
        renew();
        List<Interleaving.Op> sides = new ArrayList<>();
        for (Op op : direct == null ? List.of(grpc) : List.of(grpc, direct)) {
            SplittableRandom random = new SplittableRandom(42 + sides.size());
            sides.add(interleaving.timed((index, warmup) -> op.run(index, warmup, random)));
        }
        progress("warming up " + what + " (short)");
        interleaving.warmUp(sides, new Interleaving.WarmUp(WARMUP_MIN_OPS, WARMUP_NANOS, WARMUP_CAP_NANOS, 100));
        progress("measuring " + n + " " + what + " per side");
        renew();
        return interleaving.measure(Interleaving.Plan.of(n).block(Math.max(50, n / 10)).sideCap(MEASURE_CAP_NANOS),
                sides.toArray(new Interleaving.Op[0])).comparison(0);
    }

    // -----------------------------------------------------------------------------------------------------
    // Checkpoints

    /** Nanoseconds of each measured checkpoint: [0] gRPC, [1] JDBC (null without JDBC). */
    private long[][] checkpoints() throws Exception {
        int count = checkpointLines();
        int per = linesPerMessage();
        List<CommitCheckpointRequest> batches = new ArrayList<>();
        for (int start = 0; start < count; start += per) {
            LineBatch.Builder b = LineBatch.newBuilder();
            for (int id = start; id < Math.min(count, start + per); id++) {
                b.addWrites(line(id));
            }
            batches.add(CommitCheckpointRequest.newBuilder().setLines(b).build());
        }
        long bytes = (long) count * lineSize;
        progress("warming up checkpoints (" + SizeFormat.bytes(bytes) + " each)");
        // two on the gRPC side: with the populating one, the server then retains 3 checkpoints, so (at the
        // default retention) every measured commit prunes one, as every commit of a long-lived heap does
        if (timedCommit(batches, "first warm-up") != Interleaving.END
                && timedCommit(batches, "second warm-up") != Interleaving.END && jdbc != null) {
            jdbcCheckpoint(1_000_000);
        }
        if (commitTimeout != null) {
            return new long[][] {new long[0], jdbc == null ? null : new long[0]};
        }
        System.gc();
        // a database CHECKPOINT (untimed) before each timed one; the JDBC side's run k writes epoch 1000000 + k
        List<Interleaving.Op> sides = new ArrayList<>();
        sides.add((index, warmup) -> {
            flushDatabase();
            return timedCommit(batches, "run " + (index + 1));
        });
        if (jdbc != null) {
            sides.add((index, warmup) -> {
                flushDatabase();
                return jdbcCheckpoint(1_000_001 + index);
            });
        }
        Interleaving.Result measured = interleaving.measure(Interleaving.Plan.of(runs).cap(CHECKPOINT_CAP_NANOS)
                .beforeRound(round -> progress("checkpoint run " + (round + 1) + " of " + runs)),
                sides.toArray(new Interleaving.Op[0]));
        long[] grpc = measured.samples(0, 0).values();
        if (measured.capped()) {
            progress("checkpoint runs stopped after " + grpc.length + " of " + runs + ": the phase's time cap was reached");
        }
        return new long[][] {grpc, jdbc == null ? null : measured.samples(0, 1).values()};
    }

    /** Null while CHECKPOINT works; else why the runs went without it. */
    private String flushNote;

    /**
     * Runs a PostgreSQL CHECKPOINT (untimed) before a timed checkpoint, so that every run starts with the
     * same clean buffers and WAL, and no database checkpoint forced by WAL volume lands in one run and not
     * another. Needs superuser (or pg_checkpoint); without it the runs go on without.
     */
    private void flushDatabase() {
        if (jdbc == null || flushNote != null) {
            return;
        }
        try (PreparedStatement ps = jdbc.prepareStatement("CHECKPOINT")) {
            ps.execute();
        } catch (SQLException e) {
            flushNote = "the database refused CHECKPOINT (" + e.getMessage().lines().findFirst().orElse("")
                    + "), so a database checkpoint may land inside a run";
        }
    }

    /** Set when a gRPC checkpoint outlived its deadline: which one, and the deadline. */
    private String commitTimeout;

    private long commitDeadlineSeconds() {
        return 60L * Math.max(1, checkpointMib / 64);
    }

    /**
     * One gRPC checkpoint: its nanoseconds, or {@link Interleaving#END} (and {@link #commitTimeout} set) when it
     * did not finish within its deadline.
     */
    private long timedCommit(List<CommitCheckpointRequest> batches, String which) {
        try {
            return commit(batches);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                throw e;
            }
            commitTimeout = "the " + which + " gRPC checkpoint did not finish within " + commitDeadlineSeconds() + " s";
            progress(commitTimeout + "; no further checkpoint runs");
            return Interleaving.END;
        }
    }

    /**
     * Commits a checkpoint with these line batches, sending them as fast as gRPC flow control lets;
     * returns the nanoseconds from the start of the call to the response.
     */
    private long commit(List<CommitCheckpointRequest> batches) {
        renew();
        List<CommitCheckpointRequest> messages = new ArrayList<>(batches.size() + 1);
        messages.add(CommitCheckpointRequest.newBuilder().setHeader(CommitHeader.newBuilder()
                .setApp(app).setFencingToken(token).setDevice(DEVICE).setVmState(ByteString.copyFromUtf8("bench"))).build());
        messages.addAll(batches);
        HeapStoreClient client = new HeapStoreClient(channel, TimeUnit.SECONDS.toMillis(commitDeadlineSeconds()));
        long t0 = System.nanoTime();
        CommitCheckpointResponse r = client.commit(messages);
        long t = System.nanoTime() - t0;
        long sent = batches.stream().mapToLong(b -> b.getLines().getWritesCount()).sum();
        if (r.getCheckpoint().getLinesWritten() < sent) {
            throw new IllegalStateException("checkpoint " + r.getCheckpoint().getCheckpointId() + " wrote "
                    + r.getCheckpoint().getLinesWritten() + " lines, " + sent + " were sent");
        }
        return t;
    }

    /** The checkpoint's lines into the JDBC app's {@code epoch}, one transaction; nanoseconds to commit. */
    private long jdbcCheckpoint(long epoch) throws SQLException {
        int count = checkpointLines();
        int per = Math.max(1, STATEMENT_BYTES / lineSize);
        long t0 = System.nanoTime();
        jdbc.setAutoCommit(false);
        try (PreparedStatement ps = jdbc.prepareStatement(WRITE_MANY_SQL)) {
            for (int start = 0; start < count; start += per) {
                int end = Math.min(count, start + per);
                Long[] ids = new Long[end - start];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = (long) (start + i);
                }
                ps.setLong(1, jdbcHeapId);
                ps.setLong(2, epoch);
                ps.setArray(3, jdbc.createArrayOf("int8", ids));
                ps.setArray(4, jdbc.createArrayOf("bytea", Arrays.copyOfRange(lines, start, end)));
                ps.executeUpdate();
            }
            jdbc.commit();
        } catch (SQLException | RuntimeException e) {
            jdbc.rollback();
            throw e;
        } finally {
            jdbc.setAutoCommit(true);
        }
        return System.nanoTime() - t0;
    }

    // -----------------------------------------------------------------------------------------------------
    // Report

    private void report(String where, String jdbcNote, LatencySamples[] empty, LatencySamples[] read, LatencySamples[] write,
                        long[][] checkpoint) {
        boolean direct = read.length > 1;
        long[] cg = checkpoint[0];
        long[] cj = checkpoint[1];
        boolean cpGrpc = cg.length > 0;
        boolean cpBoth = direct && cpGrpc && cj.length > 0;
        long bytes = (long) checkpointLines() * lineSize;
        out.println("vheap bench store - " + where);
        out.println(lineSize + "-byte lines, " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version().feature() + "; measured after warm-up" + (direct ? ", sides interleaved" : "")
                + ": " + counts(read) + " reads, " + counts(write) + " writes, " + cg.length
                + (direct && cj.length != cg.length ? "/" + cj.length : "") + (cg.length == 1 ? " checkpoint" : " checkpoints")
                + (direct ? " per side" : ""));
        if (jdbcNote != null) {
            out.println(jdbcNote);
        }
        TextTable t = new TextTable("operation", "gRPC (vheap)", "raw JDBC", "ratio");
        if (empty != null) {
            t.row("empty call p50 / p99", latencies(empty[0]), direct ? latencies(empty[1]) : "-",
                    direct ? ratio(empty[0].percentile(50), empty[1].percentile(50)) + " / "
                            + ratio(empty[0].percentile(99), empty[1].percentile(99)) : "-");
        }
        t.row("line read p50 / p99", latencies(read[0]), direct ? latencies(read[1]) : "-",
                direct ? ratio(read[0].percentile(50), read[1].percentile(50)) + " / "
                        + ratio(read[0].percentile(99), read[1].percentile(99)) : "-");
        t.row("small write p50 / p99", latencies(write[0]), direct ? latencies(write[1]) : "-",
                direct ? ratio(write[0].percentile(50), write[1].percentile(50)) + " / "
                        + ratio(write[0].percentile(99), write[1].percentile(99)) : "-");
        String label = "checkpoint " + SizeFormat.bytes(bytes).replace(".0 ", " ");
        String failed = commitTimeout == null ? "-" : "timed out";
        t.row(label + " best", cpGrpc ? throughput(bytes, best(cg)) : failed,
                direct && cj.length > 0 ? throughput(bytes, best(cj)) : "-",
                cpBoth ? ratio(best(cg), best(cj)) : "-");
        t.row(label + " median", cpGrpc ? throughput(bytes, median(cg)) : failed,
                direct && cj.length > 0 ? throughput(bytes, median(cj)) : "-",
                cpBoth ? ratio(median(cg), median(cj)) : "-");
        t.print(out);
        if (commitTimeout != null) {
            out.println("!! " + commitTimeout + (cpGrpc ? "; the checkpoint figures are of the runs before it" : ""));
        }
        if (flushNote != null) {
            out.println("note: " + flushNote);
        }

        long readP50 = read[0].percentile(50);
        StringBuilder targets = new StringBuilder("targets: read p50 <= 300 " + micro + " ")
                .append(readP50 <= READ_P50_TARGET_NANOS ? "[met]" : "[NOT met: " + latencyFormat.format(readP50) + "]")
                .append(", checkpoint >= 100 MB/s ");
        if (!cpGrpc) {
            targets.append("[NOT met: timed out]");
        } else {
            double mbs = mbPerSecond(bytes, median(cg));
            targets.append(mbs >= CHECKPOINT_TARGET_MBS && commitTimeout == null ? "[met]"
                    : String.format("[NOT met: %.0f MB/s%s]", mbs, commitTimeout == null ? "" : ", and a run timed out"));
        }
        targets.append(", overhead <= 1.5x ");
        if (!direct) {
            targets.append("[not measured]");
        } else {
            List<String> over = new ArrayList<>();
            double r = (double) readP50 / read[1].percentile(50);
            double w = (double) write[0].percentile(50) / write[1].percentile(50);
            if (r > OVERHEAD_TARGET) {
                over.add(String.format("read %.2fx", r));
            }
            if (w > OVERHEAD_TARGET) {
                over.add(String.format("write %.2fx", w));
            }
            if (!cpBoth) {
                over.add("checkpoint timed out");
            } else {
                double c = (double) median(cg) / median(cj);
                if (c > OVERHEAD_TARGET) {
                    over.add(String.format("checkpoint %.2fx", c));
                }
            }
            targets.append(over.isEmpty() ? "[met]" : "[NOT met: " + String.join(", ", over) + "]");
        }
        out.println(targets);
        out.println("ratio = gRPC time / JDBC time (p50 / p99; checkpoints: JDBC MB/s / gRPC MB/s); the overhead target"
                + " is judged on the p50s of read and write and the median checkpoint; MB = 10^6 bytes of line data");
        if (empty != null) {
            out.println("empty call = gRPC health check vs JDBC SELECT 1: the transport floor under every call");
        }
    }

    private static String counts(LatencySamples[] s) {
        return s.length == 1 || s[0].count() == s[1].count()
                ? String.valueOf(s[0].count()) : s[0].count() + "/" + s[1].count();
    }

    private String latencies(LatencySamples s) {
        return latencyFormat.format(s.percentile(50)) + " / " + latencyFormat.format(s.percentile(99));
    }

    private static String ratio(long grpcNanos, long jdbcNanos) {
        return String.format("%.2fx", (double) grpcNanos / jdbcNanos);
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static String throughput(long bytes, long nanos) {
        return String.format("%.0f MB/s (%.2f s)", mbPerSecond(bytes, nanos), nanos / 1e9);
    }

    private static long best(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow();
    }

    /** The middle run (the lower middle of an even count, which is the faster one: no flattering). */
    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private String pgVersion() throws SQLException {
        try (PreparedStatement ps = jdbc.prepareStatement("SHOW server_version");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    private static String fileSystem(Path dir) {
        try {
            FileStore fs = Files.getFileStore(dir);
            return fs.type() + " (" + dir.toAbsolutePath() + ")";
        } catch (IOException e) {
            return dir.toAbsolutePath().toString();
        }
    }

    private void progress(String s) {
        run.progress(s);
    }
}
