package org.vheap.server.cli;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.vheap.bench.BenchRun;
import org.vheap.bench.Interleaving;
import org.vheap.cli.LatencySamples;
import org.vheap.client.HeapStoreClient;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.server.HeapServerConfig;
import org.vheap.server.HeapServerInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench citus}: the same store workload on one PostgreSQL and on a Citus cluster, side by side in one
 * run. It starts three heap servers in this process, bound to 127.0.0.1: one on a fresh embedded PostgreSQL (as
 * {@code vheap server} runs it), and two on the Citus coordinator given by {@code --citus-url}, one through the
 * coordinator and one with {@code --citus-route-to-workers} (left out with {@code --without-routing}), each with the
 * same pool and settings. On each it creates {@code --apps} apps of {@code --lines} 4 KiB lines, committed; then, interleaved
 * (the sides take turns, the order reversed every round): a fault (a one-line Transact read with the lease's token),
 * a flush (a one-line Transact write) and a checkpoint (a commit of 32 dirty lines), each of a random app; and, in
 * turns of a few seconds per side, faults from {@code --threads} client threads at once, counted per second. The
 * ratio is Citus time / PostgreSQL time (for calls per second, PostgreSQL's rate / Citus's). The apps are deleted at
 * the end, also on Ctrl-C, and so is the temporary database.
 *
 * <p>On one machine Citus cannot be faster: each call goes through the coordinator (or, routed, straight) to a worker,
 * all on the same cores. The figure is its overhead (target: a fault within 1.5x at p50); how it scales with workers follows from
 * every statement of a call running on one worker (see docs/store.md).
 */
@Command(name = "citus", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The store on one PostgreSQL vs on a Citus cluster, side by side: fault, flush and checkpoint"
                + " p50/p99, and faults per second from several client threads.",
                "",
                "Starts a heap server on a fresh embedded PostgreSQL and two on the Citus coordinator (--citus-url),"
                        + " one through the coordinator and one with --citus-route-to-workers, all on 127.0.0.1 in this"
                        + " process; the same apps and calls on each, the sides interleaved.",
                "Target: a fault on Citus within 1.5x of one PostgreSQL's at p50.",
                ""})
final class CitusBench implements Callable<Integer> {
    static final double FAULT_TARGET = 1.5;
    private static final int LINE = 4096;
    private static final int CHECKPOINT_LINES = 32;
    private static final String DEVICE = "bench-device";

    @Option(names = "--citus-url", required = true, paramLabel = "URL",
            description = "the Citus coordinator (jdbc:postgresql://HOST:PORT/DB), the citus extension created and its workers added")
    String citusUrl;

    @Option(names = "--citus-user", defaultValue = "postgres", paramLabel = "USER", description = "database user (default: ${DEFAULT-VALUE})")
    String citusUser;

    @Option(names = "--citus-password", defaultValue = "${env:VHEAP_DB_PASSWORD}", paramLabel = "PASSWORD",
            description = "database password (or set VHEAP_DB_PASSWORD)")
    String citusPassword;

    @Option(names = "--apps", defaultValue = "8", paramLabel = "N", description = "apps on each side (default: ${DEFAULT-VALUE})")
    int apps;

    @Option(names = "--lines", defaultValue = "256", paramLabel = "N", description = "lines of each app (default: ${DEFAULT-VALUE})")
    int lines;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N",
            description = "measured faults and flushes per side; checkpoints: a tenth (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--threads", defaultValue = "4", paramLabel = "N",
            description = "client threads of the calls-per-second phase (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S",
            description = "length of each turn of the calls-per-second phase; 4 turns per side (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warm-up", defaultValue = "15", paramLabel = "S",
            description = "seconds of unmeasured calls on every side first, for the JIT (default: ${DEFAULT-VALUE})")
    int warmUpSeconds;

    @Option(names = "--without-routing",
            description = "leave out the third side, a heap server on Citus with --citus-route-to-workers (which needs every worker reachable from here)")
    boolean withoutRouting;

    @Spec
    CommandSpec spec;
    private PrintWriter out;

    /** One heap server under test, its apps and their leases. */
    private static final class Side {
        final String name;
        final HeapStoreClient client;
        final List<String> apps = new ArrayList<>();
        final List<Long> tokens = new ArrayList<>();

        Side(String name, ManagedChannel channel) {
            this.name = name;
            this.client = new HeapStoreClient(channel, 60_000);
        }

        HeapStoreGrpc.HeapStoreBlockingStub stub() {
            return client.blocking();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (apps < 1 || lines < CHECKPOINT_LINES || samples < 10 || threads < 1 || seconds < 1 || warmUpSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--apps, --threads and"
                    + " --seconds must be at least 1, --lines at least " + CHECKPOINT_LINES + ", --samples at least 10");
        }
        out = spec.commandLine().getOut();
        String prefix = "bench-citus-" + Long.toHexString(new SplittableRandom().nextLong() >>> 24);
        try (BenchRun run = new BenchRun("bench citus", spec.commandLine().getErr(), System::nanoTime).closeOnInterrupt()) {
            Path dir = run.tempDir("vheap-bench-citus-");
            run.progress("starting a heap server on an embedded PostgreSQL and " + (withoutRouting ? "one" : "two")
                    + " on the Citus coordinator " + citusUrl);
            HeapServerInstance plain = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                    .setDataDir(dir), Clock.systemUTC());
            run.atEnd("stop the heap server on PostgreSQL", interrupted -> plain.close());
            List<Side> sides = new ArrayList<>();
            sides.add(side(run, "PostgreSQL", plain));
            HeapServerInstance citus = citusServer(run, false);
            String citusShape = citusShape(citus);
            sides.add(side(run, "Citus", citus));
            if (!withoutRouting) {
                sides.add(side(run, "Citus routed", citusServer(run, true)));
            }
            SplittableRandom random = new SplittableRandom(1);
            for (Side side : sides) {
                run.progress("creating " + apps + " apps of " + lines + " lines on " + side.name);
                for (int a = 0; a < apps; a++) {
                    String app = prefix + "-" + sides.indexOf(side) + "-" + a;
                    long token = side.stub().openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice(DEVICE)
                            .setCreate(true).setLineSize(LINE).build()).getLease().getFencingToken();
                    run.atEnd("delete app " + app + " on " + side.name, interrupted -> side.stub()
                            .withDeadlineAfter(30, TimeUnit.SECONDS)
                            .deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build()));
                    side.apps.add(app);
                    side.tokens.add(token);
                    commit(side, a, lines(0, lines, random));
                }
            }

            Interleaving interleaving = new Interleaving(System::nanoTime);
            List<Interleaving.Op> faults = new ArrayList<>();
            List<Interleaving.Op> flushes = new ArrayList<>();
            List<Interleaving.Op> checkpoints = new ArrayList<>();
            for (Side side : sides) {
                SplittableRandom r = new SplittableRandom(side.name.hashCode());
                faults.add(interleaving.timed((i, w) -> fault(side, r)));
                flushes.add(interleaving.timed((i, w) -> {
                    int a = r.nextInt(apps);
                    side.stub().transact(TransactRequest.newBuilder().setApp(side.apps.get(a))
                            .setFencingToken(side.tokens.get(a)).addAllWrites(lines(r.nextInt(lines), 1, r)).build());
                }));
                checkpoints.add(interleaving.timed((i, w) -> commit(side, r.nextInt(apps),
                        lines(r.nextInt(lines - CHECKPOINT_LINES), CHECKPOINT_LINES, r))));
            }
            run.progress("warming up every side for " + warmUpSeconds + " s");
            List<Interleaving.Op> all = new ArrayList<>(faults);
            all.addAll(flushes);
            interleaving.warmUp(all, new Interleaving.WarmUp(50, TimeUnit.SECONDS.toNanos(warmUpSeconds),
                    TimeUnit.SECONDS.toNanos(warmUpSeconds + 30L), 20));
            run.progress("measuring faults, flushes and checkpoints, the sides interleaved");
            Interleaving.Result calls = interleaving.measure(List.of(faults, flushes),
                    Interleaving.Plan.of(samples).block(100).cap(TimeUnit.MINUTES.toNanos(3)));
            Interleaving.Result commits = interleaving.measure(List.of(checkpoints),
                    Interleaving.Plan.of(Math.max(10, samples / 10)).block(10).cap(TimeUnit.MINUTES.toNanos(2)));
            run.progress("measuring faults per second from " + threads + " client threads, " + seconds + " s turns");
            double[] rates = new double[sides.size()];
            for (int turn = 0; turn < 4; turn++) {   // each side first, last and in between about as often
                for (int i = 0; i < sides.size(); i++) {
                    int s = turn % 2 == 0 ? (turn / 2 + i) % sides.size() : (sides.size() - 1 - i + turn / 2) % sides.size();
                    rates[s] += faultsPerSecond(sides.get(s)) / 4;
                }
            }
            report(citusShape, sides, calls, commits, rates);
        }
        return 0;
    }

    private static Side side(BenchRun run, String name, HeapServerInstance server) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(server.address()).usePlaintext().build();
        run.atEnd("close the channel to " + server.address(), interrupted -> channel.shutdownNow());
        return new Side(name, channel);
    }

    /** A heap server on the coordinator; {@code routed}: with {@code --citus-route-to-workers}. */
    private HeapServerInstance citusServer(BenchRun run, boolean routed) throws java.io.IOException {
        HeapServerInstance server;
        try {
            server = HeapServerInstance.start(new HeapServerConfig().setHost("127.0.0.1").setPort(0)
                    .setDbUrl(citusUrl).setDbUser(citusUser).setDbPassword(citusPassword).setCitusRouteToWorkers(routed),
                    Clock.systemUTC());
        } catch (org.vheap.store.StoreException e) {
            if (!routed) {
                throw e;
            }
            throw new org.vheap.store.StoreException(e.reason(), e.getMessage() + " (or leave the routed side out:"
                    + " --without-routing)", e);
        }
        run.atEnd("stop the heap server on Citus" + (routed ? " routing to workers" : ""), interrupted -> server.close());
        return server;
    }

    private long fault(Side side, SplittableRandom r) {
        int a = r.nextInt(apps);
        return side.stub().transact(TransactRequest.newBuilder().setApp(side.apps.get(a)).setFencingToken(side.tokens.get(a))
                .addReadLineIds(r.nextInt(lines)).build()).getLinesCount();
    }

    private void commit(Side side, int app, List<Line> writes) {
        side.client.commit(CommitHeader.newBuilder().setApp(side.apps.get(app)).setFencingToken(side.tokens.get(app))
                .setDevice(DEVICE).build(), writes, List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
    }

    private static List<Line> lines(int first, int count, SplittableRandom r) {
        List<Line> ls = new ArrayList<>();
        for (int id = first; id < first + count; id++) {
            byte[] data = new byte[LINE];
            r.nextBytes(data);
            ls.add(Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(data)).build());
        }
        return ls;
    }

    /** Faults from {@link #threads} threads for {@link #seconds}: calls per second. */
    private double faultsPerSecond(Side side) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom r = new SplittableRandom(t * 31L + side.name.hashCode());
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    fault(side, r);
                    done.incrementAndGet();
                }
            }, "bench-citus-client-" + t);
            workers.add(worker);
            worker.start();
        }
        long t0 = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** The Citus side: its extension's version and active workers, as the coordinator says. */
    private static String citusShape(HeapServerInstance citus) throws SQLException {
        try (Connection c = citus.dataSource().getConnection(); Statement s = c.createStatement()) {
            String version;
            try (ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'citus'")) {
                if (!rs.next()) {
                    throw new IllegalStateException("the database at --citus-url has no citus extension (CREATE"
                            + " EXTENSION citus, and add its workers, before the first heap server starts on it)");
                }
                version = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM citus_get_active_worker_nodes()")) {
                rs.next();
                return "Citus " + version + ", " + rs.getLong(1) + " workers";
            }
        }
    }

    private void report(String citusShape, List<Side> sides, Interleaving.Result calls, Interleaving.Result commits,
                        double[] rates) {
        out.println("vheap bench citus - one PostgreSQL (embedded) vs " + citusShape + " at " + citusUrl);
        out.printf(Locale.ROOT, "%d apps of %d 4 KiB lines per side, %d client threads for calls per second;"
                + " sides interleaved%s%n", apps, lines, threads, calls.capped() || commits.capped() ? " (a phase hit its time cap)" : "");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-30s %-22s", "operation", sides.get(0).name));
        for (Side side : sides.subList(1, sides.size())) {
            header.append(String.format(Locale.ROOT, " %-22s %-15s", side.name, "ratio"));
        }
        out.println(header.toString().stripTrailing());
        String[] names = {"fault p50 / p99", "flush p50 / p99"};
        for (int c = 0; c < 2; c++) {
            row(names[c], calls.comparison(c));
        }
        row("checkpoint 128 KiB p50 / p99", commits.comparison(0));
        StringBuilder rate = new StringBuilder(String.format(Locale.ROOT, "%-30s %-22.0f", "faults per second", rates[0]));
        for (int s = 1; s < rates.length; s++) {
            rate.append(String.format(Locale.ROOT, " %-22.0f %-15s", rates[s], String.format(Locale.ROOT, "%.2fx", rates[0] / rates[s])));
        }
        out.println(rate.toString().stripTrailing());
        for (int s = 1; s < sides.size(); s++) {
            double fault = (double) calls.comparison(0)[s].percentile(50) / calls.comparison(0)[0].percentile(50);
            out.printf(Locale.ROOT, "target: a fault on %s within %.1fx of one PostgreSQL's at p50 %s%n", sides.get(s).name,
                    FAULT_TARGET, fault <= FAULT_TARGET ? String.format(Locale.ROOT, "[met: %.2fx]", fault)
                            : String.format(Locale.ROOT, "[NOT met: %.2fx]", fault));
        }
        out.println("ratio = Citus time / PostgreSQL time (p50 / p99); calls per second: PostgreSQL's / Citus's;"
                + (sides.size() > 2 ? " routed: --citus-route-to-workers" : ""));
        out.flush();
    }

    private void row(String name, LatencySamples[] sides) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-30s %-22s", name,
                micros(sides[0].percentile(50), sides[0].percentile(99))));
        for (int s = 1; s < sides.length; s++) {
            line.append(String.format(Locale.ROOT, " %-22s %-15s", micros(sides[s].percentile(50), sides[s].percentile(99)),
                    String.format(Locale.ROOT, "%.2fx / %.2fx", (double) sides[s].percentile(50) / sides[0].percentile(50),
                            (double) sides[s].percentile(99) / sides[0].percentile(99))));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String micros(long p50, long p99) {
        return String.format(Locale.ROOT, "%d µs / %d µs", p50 / 1000, p99 / 1000);
    }
}
