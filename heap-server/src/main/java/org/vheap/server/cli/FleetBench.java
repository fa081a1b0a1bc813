package org.vheap.server.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.vheap.bench.BenchRun;
import org.vheap.bench.ChildHeapServer;
import org.vheap.cli.CliValues;
import org.vheap.cli.SizeFormat;
import org.vheap.cli.VheapHome;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.server.fleet.FleetRun;
import org.vheap.server.fleet.FleetWorkload;
import org.vheap.server.fleet.ProcessMemory;
import org.vheap.server.store.LineVersions;
import org.vheap.server.torture.TallyDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench fleet}: a fleet of synthetic devices ({@link FleetRun}) against a heap server it starts (a child
 * process on an embedded PostgreSQL this bench starts, so the server's resident memory is its own and the raw JDBC
 * column writes to the same database), or against {@code --server} or {@code --gateway}, with {@code --vms} real devices
 * besides ({@link TallyDevices}: VMs running an app that checks its own heap). Prints a row per interval
 * (calls per second, fault p50 and p99, checkpoints per second, errors, the server's resident memory), then the
 * totals, the memory's peak and its change over the second half, and the lines written per second beside raw batched
 * JDBC writes of the same lines on the same database. Exit 1 when any call failed.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Many devices' store traffic at once: open, lease renewals, faults, counted flushes, checkpoints.",
                "Starts its own heap server (a child process on an embedded PostgreSQL) unless --server or --gateway;"
                        + " prints calls/s, fault p50/p99, checkpoints/s, errors and the server's resident memory over"
                        + " time, and raw batched JDBC writes on the same database beside the lines written."})
final class FleetBench implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "1000", paramLabel = "N", description = "synthetic devices (default: ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--minutes", defaultValue = "10", paramLabel = "M", description = "how long (default: ${DEFAULT-VALUE}; 0.5 is 30 s)")
    double minutes;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "a running heap server instead of its own")
    String server;

    @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "a running gateway (in front of heap servers) instead")
    String gateway;

    @Option(names = "--server-pid", paramLabel = "PID", description = "with --server (or --gateway: one of its servers): the server's process, for its resident memory")
    Long serverPid;

    @Option(names = "--db-url", paramLabel = "URL", description = "with --server or --gateway: the store's database, for the raw JDBC column")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "with --db-url: its user")
    String dbUser;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:VHEAP_DB_PASSWORD}",
            description = "with --db-url: its password (or set VHEAP_DB_PASSWORD)")
    String dbPassword;

    @Option(names = "--think", defaultValue = "200ms", paramLabel = "TIME", description = "each device's pause between calls (default: ${DEFAULT-VALUE})")
    String think;

    @Option(names = "--threads", defaultValue = "64", paramLabel = "N", description = "threads making the calls (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--connections", paramLabel = "N", description = "connections the devices share (default: one each)")
    Integer connections;

    @Option(names = "--vms", defaultValue = "2", paramLabel = "N",
            description = "real devices besides, each a VM running an app that checks its own heap and commits after every count (default: ${DEFAULT-VALUE})")
    int vms;

    @Spec
    CommandSpec spec;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        Duration thinkTime = CliValues.duration("--think", think);
        if (thinkTime.toMillis() < 1) {
            throw new IllegalArgumentException("--think must be at least 1 ms, got " + think);
        }
        FleetWorkload work = FleetWorkload.defaults().withThink(thinkTime);
        Duration duration = checkOptions();
        try (BenchRun run = new BenchRun("bench fleet", err, System::nanoTime).closeOnInterrupt()) {
            String target;
            String where;
            LongSupplier rss = () -> -1;
            String jdbcUrl = dbUrl;
            String jdbcUser = dbUser;
            String jdbcPassword = dbPassword;
            if (server == null && gateway == null) {
                Path dir = run.tempDir("vheap-fleet-");
                run.progress("starting PostgreSQL and a heap server (a child process) under " + dir);
                EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                        .setCleanDataDirectory(true).start();
                run.atEnd("stop PostgreSQL", interrupted -> pg.close());
                jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
                jdbcUser = "postgres";
                jdbcPassword = "";
                ChildHeapServer child = ChildHeapServer.start(VheapHome.locate(FleetBench.class),
                        List.of("--db-url", jdbcUrl, "--db-user", "postgres"), run::note);
                run.atEnd("stop the heap server", interrupted -> child.close());
                target = child.address();
                ProcessMemory memory = new ProcessMemory(child.pid());
                rss = memory::residentBytes;
                where = target + " (its own heap server, pid " + child.pid() + ", on an embedded PostgreSQL)";
            } else {
                target = server != null ? server : gateway;
                where = target + (server != null ? " (a heap server)" : " (a gateway)");
                if (serverPid != null) {
                    ProcessMemory memory = new ProcessMemory(serverPid);
                    rss = memory::residentBytes;
                }
            }
            Duration interval = Duration.ofSeconds(Math.max(5, Math.min(60, duration.toSeconds() / 10)));
            int conns = connections == null ? devices : connections;
            out.printf(Locale.ROOT, "bench fleet: %d devices for %d s against %s; %d connections, %d threads%n", devices,
                    duration.toSeconds(), where, conns, threads);
            out.printf(Locale.ROOT, "each device: %d lines of %d bytes; a call every %d ms: faults of %d lines (%.0f %%),"
                            + " counted flushes of %d, a checkpoint every %d calls, a lease of %d s renewed every third%n",
                    work.heapLines(), work.lineSize(), work.think().toMillis(), work.readLines(), work.faultShare() * 100,
                    work.writeLines(), work.checkpointEvery(), work.lease().toSeconds());
            String name = "fleet-" + Long.toHexString(new SplittableRandom().nextLong() >>> 24);
            TallyDevices real = null;
            List<String> vmApps = java.util.stream.IntStream.range(0, vms).mapToObj(i -> name + "-vm-" + i).toList();
            if (vms > 0) {
                VheapHome home = VheapHome.locate(FleetBench.class);
                String classPath = TallyDevices.prepare(home, run.tempDir("vheap-fleet-app-"));
                real = TallyDevices.start(home, classPath, target, vmApps, 20);
                TallyDevices started = real;
                run.atEnd("stop the real devices and delete their apps", interrupted -> {
                    started.close();
                    for (String app : vmApps) {
                        onServer(target, stub -> stub.deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build()));
                    }
                });
            }
            out.printf(Locale.ROOT, "besides: %d real devices, each a VM running Tally (it checks its own heap at every count"
                    + " and commits a checkpoint after each)%n", vms);
            out.printf(Locale.ROOT, "%8s %10s %11s %11s %14s %8s %12s%n", "time", "calls/s", "fault p50", "fault p99",
                    "checkpoints/s", "errors", "server RSS");
            FleetRun.Report r = new FleetRun(System::nanoTime).run(target, name,
                    new FleetRun.Options(devices, threads, conns, work, duration, interval), rss,
                    row -> out.printf(Locale.ROOT, "%6.0f s %10.0f %8.2f ms %8.2f ms %14.1f %8d %12s%n", row.secondsIn(),
                            row.callsPerSecond(), row.faultP50Millis(), row.faultP99Millis(), row.checkpointsPerSecond(),
                            row.errors(), row.serverResidentBytes() < 0 ? "-" : SizeFormat.bytes(row.serverResidentBytes())));
            summary(r, work);
            List<String> vmProblems = real == null ? List.of() : real.problems();
            if (real != null) {
                out.printf(Locale.ROOT, "real devices: %d, %,d checkpoints committed, %s%n", vms, real.commits(),
                        vmProblems.isEmpty() ? "every heap whole, every device running" : vmProblems.size() + " BROKEN");
            }
            boolean jdbcOk = true;
            if (jdbcUrl != null) {
                jdbcOk = rawJdbc(target, name, work, r, jdbcUrl, jdbcUser, jdbcPassword);
            } else {
                out.println("raw JDBC column skipped: pass --db-url and --db-user of the store's database to measure it");
            }
            if (r.errors() > 0) {
                err.println("vheap bench fleet: " + r.errors() + " calls failed; the first: " + String.join(" | ", r.firstErrors()));
                return 1;
            }
            if (!vmProblems.isEmpty()) {
                err.println("vheap bench fleet: " + String.join("; ", vmProblems));
                return 1;
            }
            return jdbcOk ? 0 : 1;
        }
    }

    private void summary(FleetRun.Report r, FleetWorkload work) {
        out.printf(Locale.ROOT, "calls %,d in %.0f s: %,.0f/s; lines written %,d: %,.0f/s; errors %d%n", r.calls(),
                r.seconds(), r.calls() / r.seconds(), r.linesWritten(), r.linesWritten() / r.seconds(), r.errors());
        List<Long> rss = r.rows().stream().map(FleetRun.Row::serverResidentBytes).filter(b -> b >= 0).toList();
        if (rss.size() >= 2) {
            long peak = rss.stream().mapToLong(Long::longValue).max().orElse(0);
            long mid = rss.get(rss.size() / 2);
            long last = rss.get(rss.size() - 1);
            out.printf(Locale.ROOT, "server resident memory: peak %s (%s 1 GiB); second half %s -> %s (%+.1f %%)%n",
                    SizeFormat.bytes(peak), peak <= (1L << 30) ? "within" : "OVER", SizeFormat.bytes(mid),
                    SizeFormat.bytes(last), (last - mid) * 100.0 / mid);
        } else {
            out.println("server resident memory: not known (it is read for its own server, or with --server-pid)");
        }
    }

    /**
     * The same lines written straight into the store's table, batched as a device's flushes are ({@code writeLines} rows
     * per statement, {@link LineVersions#WRITE_SQL}), auto-committed, on as many connections as the server's pool
     * (8), for a tenth of the run (10 to 60 s): lines per second beside the fleet's.
     */
    private boolean rawJdbc(String target, String name, FleetWorkload work, FleetRun.Report r, String url, String user,
                            String password) throws Exception {
        String app = name + "-jdbc";
        // its heap row, for the id and the open epoch the rows go to
        onServer(target, stub -> stub.openHeap(OpenHeapRequest.newBuilder().setApp(app).setDevice("jdbc").setCreate(true)
                .setLineSize(work.lineSize()).build()));
        try {
            return writeRaw(app, work, r, url, user, password);
        } finally {
            onServer(target, stub -> stub.deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build()));
        }
    }

    private boolean writeRaw(String app, FleetWorkload work, FleetRun.Report r, String url, String user, String password)
            throws InterruptedException {
        long seconds = Math.max(10, Math.min(60, (long) r.seconds() / 10));
        int connections = 8;
        long[] written = new long[connections];
        Thread[] writers = new Thread[connections];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception[] failure = new Exception[1];
        for (int t = 0; t < connections; t++) {
            int slot = t;
            writers[t] = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password == null ? "" : password)) {
                    long heapId;
                    long epoch;
                    try (PreparedStatement ps = c.prepareStatement("SELECT heap_id, open_epoch FROM heap WHERE app_name = ?")) {
                        ps.setString(1, app);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            heapId = rs.getLong(1);
                            epoch = rs.getLong(2);
                        }
                    }
                    SplittableRandom random = new SplittableRandom(slot);
                    byte[] data = new byte[work.lineSize()];
                    random.nextBytes(data);
                    try (PreparedStatement ps = c.prepareStatement(LineVersions.WRITE_SQL)) {
                        while (System.nanoTime() < end) {
                            Long[] ids = new Long[work.writeLines()];
                            byte[][] lines = new byte[ids.length][];
                            for (int i = 0; i < ids.length; i++) {
                                ids[i] = (long) slot * work.heapLines() + i * 7L % work.heapLines() + written[slot] % 97;
                                lines[i] = data;
                            }
                            ps.setLong(1, heapId);
                            ps.setLong(2, epoch);
                            ps.setArray(3, c.createArrayOf("int8", ids));
                            ps.setArray(4, c.createArrayOf("bytea", lines));
                            ps.executeUpdate();
                            written[slot] += ids.length;
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    failure[0] = e;
                }
            }, "fleet-jdbc-" + t);
            writers[t].start();
        }
        for (Thread w : writers) {
            w.join();
        }
        if (failure[0] != null) {
            err.println("vheap bench fleet: the raw JDBC column failed: " + failure[0].getMessage());
            return false;
        }
        long total = 0;
        for (long w : written) {
            total += w;
        }
        double jdbcRate = total / (double) seconds;
        double fleetRate = r.linesWritten() / r.seconds();
        out.printf(Locale.ROOT, "lines written: %,.0f/s by the fleet through the store (paced: a call every %d ms per"
                + " device); raw batched JDBC on the same database, unpaced, %d connections, %d lines a statement:"
                + " %,.0f/s%n", fleetRate, work.think().toMillis(), connections, work.writeLines(), jdbcRate);
        return true;
    }

    /** One call on a channel of its own to {@code target}. */
    private static <T> T onServer(String target, java.util.function.Function<HeapStoreGrpc.HeapStoreBlockingStub, T> call) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            return call.apply(HeapStoreGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
        } finally {
            StoreTarget.shutdown(channel);
        }
    }

    private Duration checkOptions() {
        CliValues.range("--devices", devices, 1, 100_000);
        CliValues.range("--threads", threads, 1, 4096);
        CliValues.range("--vms", vms, 0, 64);
        if (connections != null) {
            CliValues.range("--connections", connections, 1, 100_000);
        }
        if (!(minutes > 0 && minutes <= 24 * 60)) {
            throw new IllegalArgumentException("--minutes must be more than 0 and at most a day, got " + minutes);
        }
        if (server != null && gateway != null) {
            throw new IllegalArgumentException("give --server or --gateway, not both");
        }
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        if (gateway != null) {
            CliValues.hostPort("--gateway", gateway);
        }
        if (serverPid != null && server == null && gateway == null) {
            throw new IllegalArgumentException("--server-pid goes with --server or --gateway (one of its servers)");
        }
        if ((dbUrl == null) != (dbUser == null)) {
            throw new IllegalArgumentException("--db-url and --db-user go together");
        }
        if (dbUrl != null && server == null && gateway == null) {
            throw new IllegalArgumentException("--db-url is for --server or --gateway; without them the bench uses its own database");
        }
        return Duration.ofMillis((long) (minutes * 60_000));
    }
}
