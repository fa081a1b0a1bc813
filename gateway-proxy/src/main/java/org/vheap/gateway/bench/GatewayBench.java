package org.vheap.gateway.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vheap.bench.BenchRun;
import org.vheap.bench.ChildHeapServer;
import org.vheap.bench.Interleaving;
import org.vheap.cli.CliValues;
import org.vheap.cli.LatencyFormat;
import org.vheap.cli.LatencySamples;
import org.vheap.cli.OneLineErrors;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.client.HeapStoreClient;
import org.vheap.client.ServerUnreachable;
import org.vheap.client.VheapHeaders;
import org.vheap.gateway.GatewayConfig;
import org.vheap.gateway.GatewayServer;
import org.vheap.proto.v1.CommitHeader;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.Line;
import org.vheap.proto.v1.OpenHeapRequest;
import org.vheap.proto.v1.OpenHeapResponse;
import org.vheap.proto.v1.RenewLeaseRequest;
import org.vheap.proto.v1.TransactRequest;
import org.vheap.proto.v1.TransactResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code vheap bench gateway}: what the gateway costs, measured side by side in one run against the same
 * heap server reached directly.
 *
 * <p><b>Where it runs.</b> The gateway module must not depend on the heap server's code at run time (it
 * would bloat the gateway's image), and the heap server's module cannot depend on the gateway's (the
 * gateway's tests depend on the heap server, a cycle even in test scope). So this command lives in the
 * gateway module and, without {@code --server}, starts its heap server as a <em>child process</em> through
 * the launcher ({@code ./vheap server --host 127.0.0.1 --port 0 --data DIR}, embedded PostgreSQL; DIR a
 * temporary directory deleted at the end unless {@code --data} is given), reading its address from its
 * log ({@link ChildHeapServer}). Without {@code --gateway} it runs a {@link GatewayServer} in this JVM
 * (Netty on 127.0.0.1, a free port, the gateway's default configuration) in front of that server, and waits
 * until its health checks mark the backend up. With both {@code --server} and {@code --gateway} it
 * measures running ones (the gateway must forward to that server).
 *
 * <p><b>What is measured.</b> Apps {@code bench-gw-<random>-<i>} are created on the server (directly), each
 * with 1 MiB of committed lines, and deleted at the end (also on Ctrl-C). The operation is the device's warm
 * small read: Transact with the lease's fencing token reading one random line, with the {@code vheap-app}
 * and {@code vheap-device} headers a device sends.
 * <ol>
 *   <li>Round trip: one connection each way; after {@code --warmup} seconds of the same reads, {@code --rounds}
 *       rounds of one direct and one gateway read, alternating which goes first, so drift and noise in the
 *       machine hit both sides alike. Reported: p50, p90, p99, mean, and the gateway's extra microseconds;
 *       the target (the gateway adds at most 60 µs at p50) is judged on the p50s. Each round also makes an
 *       empty call (a gRPC health check) each way, which the server and the gateway each answer themselves:
 *       the cost of one loopback gRPC hop on this machine, to read the gateway's extra time against.</li>
 *   <li>Throughput: {@code --connections} separate channels (TCP connections) per side, each its own
 *       device over a shared set of apps, each keeping one read in flight (closed loop). After a short
 *       unmeasured warm-up per side, {@code --seconds} of measurement per side in halves ordered
 *       direct, gateway, gateway, direct. Reported: calls/s, the ratio, and the latency under that load.</li>
 * </ol>
 * The clients and the in-process gateway share this JVM and, on a small machine, the cores with the heap
 * server and PostgreSQL: the gateway's CPU shows up as lower throughput, as it would on a shared host.
 * Warm-up, interleaving and clean-up are the benches' shared harness ({@link org.vheap.bench}).
 */
@Command(name = "vheap bench gateway", mixinStandardHelpOptions = true, sortOptions = false, version = "vheap 0.1.0",
        description = {"The gateway's cost: one-line read round trips and 500-connection throughput, direct to a heap"
                + " server vs through the gateway, side by side in one run.",
                "",
                "Starts a heap server as a child process (./vheap server on an embedded PostgreSQL in a temporary"
                        + " directory) and a gateway in this JVM in front of it on 127.0.0.1, or uses --server and"
                        + " --gateway. Warms up, then interleaves direct and gateway reads. About a minute and a half.",
                "Target: the gateway adds <= 60 us at p50 to a warm one-line read.",
                ""})
public final class GatewayBench implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "use this running heap server instead of starting one")
    String server;

    @Option(names = "--gateway", paramLabel = "HOST:PORT",
            description = "use this running gateway (forwarding to --server) instead of starting one in this JVM")
    String gateway;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data directory of the started server's embedded database (default: a temporary directory, deleted at the end)")
    Path data;

    @Option(names = "--rounds", defaultValue = "5000", paramLabel = "N",
            description = "measured round trips per side, direct and gateway alternating (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--connections", defaultValue = "500", paramLabel = "N",
            description = "concurrent connections per side in the throughput phase (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--seconds", defaultValue = "8", paramLabel = "S",
            description = "measured seconds per side in the throughput phase (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "S",
            description = "seconds of warm-up reads (both sides) before the round trips are measured (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--line-size", defaultValue = "4096", paramLabel = "BYTES",
            description = "line size of the bench apps, a power of two from 64 to 1 MiB (default: ${DEFAULT-VALUE})")
    int lineSize;

    static final long P50_TARGET_NANOS = 60_000;
    /** Apps shared by the connections: enough that reads do not all meet one heap row. */
    private static final int MAX_APPS = 8;
    /** Committed lines per app. */
    private static final long APP_BYTES = 1 << 20;
    private static final long LEASE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final long CALL_DEADLINE_SECONDS = 10;
    /** The round-trip phase stops early after this long (a very busy machine). */
    private static final long ROUNDS_CAP_NANOS = TimeUnit.SECONDS.toNanos(40);
    private static final long LOAD_WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final PrintStream out;
    private final PrintStream err;
    private final LatencyFormat latencyFormat = new LatencyFormat();
    private final String micro = latencyFormat.micro();
    private final Interleaving interleaving = new Interleaving(System::nanoTime);

    // the run's state (the clean-up actions, maybe on the shutdown hook's thread, read the volatile ones)
    private BenchRun run;
    private volatile boolean ownDatabase;
    private volatile ManagedChannel control;
    private final List<ManagedChannel> channels = new ArrayList<>();   // guarded by itself
    private volatile ExecutorService callbacks;
    private String[] apps;
    private long[] tokens;
    private int linesPerApp;

    public GatewayBench() {
        this(System.out, System.err);
    }

    GatewayBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new GatewayBench()).execute(args));
    }

    /** Bad usage: one line saying what to fix and exit code 2; a failed run: one line and 1. */
    static CommandLine commandLine(GatewayBench bench) {
        return OneLineErrors.install(new CommandLine(bench));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        // Ctrl-C: still delete the bench apps, stop the server, delete its temporary database
        try (BenchRun run = new BenchRun("bench gateway", err, System::nanoTime).closeOnInterrupt()) {
            this.run = run;
            String serverWhere;
            if (server == null) {
                VheapHome home = VheapHome.locate(GatewayBench.class);
                Path dir = data != null ? data : run.tempDir("vheap-bench-gateway-");
                ownDatabase = data == null;
                progress("starting a heap server (./vheap server, embedded PostgreSQL under " + dir.toAbsolutePath() + ")");
                ChildHeapServer child = ChildHeapServer.start(home, dir, run::note);
                run.atEnd("stop the heap server", interrupted -> {
                    progress("stopping the heap server");
                    child.close();
                });
                server = child.address();
                serverWhere = server + " (./vheap server, pid " + child.pid() + ", embedded PostgreSQL)";
            } else {
                serverWhere = server + " (given)";
            }
            callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("vheap-bench-calls"));
            run.atEnd("stop the client threads", interrupted -> callbacks.shutdownNow());
            String gatewayWhere;
            if (gateway == null) {
                GatewayConfig c = new GatewayConfig().setHost("127.0.0.1").setPort(0).setBackends(List.of(server)).validate();
                GatewayServer ownGateway = GatewayServer.netty(c).start();
                run.atEnd("stop the gateway", interrupted -> ownGateway.stop());
                gateway = "127.0.0.1:" + ownGateway.port();
                gatewayWhere = gateway + " (in this JVM, default configuration)";
            } else {
                gatewayWhere = gateway + " (given)";
            }
            run.atEnd("close the channels", interrupted -> closeChannels());
            control = channel(server, null, "bench-gw-setup");
            awaitServing(control, server, "heap server " + server);
            ManagedChannel gatewayHealth = channel(gateway, null, "bench-gw-setup");
            awaitServing(gatewayHealth, gateway, "gateway " + gateway + " (its backends up)");

            createApps();

            LatencySamples[] rt = roundTrips();
            Load[] load = throughput();

            report(serverWhere, gatewayWhere, rt, load);
            return 0;
        }
    }

    private void checkOptions() {
        CliValues.powerOfTwo("--line-size", lineSize, 64, 1 << 20);
        if (rounds < 10) {
            throw new IllegalArgumentException("--rounds must be at least 10 (percentiles need samples), got " + rounds);
        }
        CliValues.range("--connections", connections, 1, 5000);
        CliValues.range("--seconds", seconds, 1, 600);
        CliValues.range("--warmup", warmupSeconds, 0, 600);
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        if (gateway != null) {
            CliValues.hostPort("--gateway", gateway);
        }
        if (gateway != null && server == null) {
            throw new IllegalArgumentException("--gateway needs --server: the heap server it forwards to, for the direct side");
        }
        if (server != null && data != null) {
            throw new IllegalArgumentException("--data is for the bench's own server; with --server it has none");
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Setup

    /** A channel of the bench: plaintext Netty, the given headers on every call, callbacks on the bench's pool. */
    private ManagedChannel channel(String target, String app, String device) {
        ManagedChannel c = NettyChannelBuilder.forTarget(target).usePlaintext()
                .executor(callbacks)
                .intercept(VheapHeaders.interceptor(app, device))
                .build();
        synchronized (channels) {
            channels.add(c);
        }
        return c;
    }

    /** Waits up to 30 s for {@code target}'s health to be SERVING; else says why not (nothing answers there, ...). */
    private void awaitServing(ManagedChannel c, String target, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (System.nanoTime() < until) {
            try {
                HealthCheckResponse r = HealthGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                    return;
                }
                last = r.getStatus().toString();
            } catch (StatusRuntimeException e) {
                last = e.getStatus().getCode() + ": " + ServerUnreachable.explain(e.getStatus(), target)
                        .orElse(e.getStatus().getDescription() == null ? "(no description)" : e.getStatus().getDescription());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(what + " is not SERVING after 30 s (" + last + ")");
    }

    /** The bench apps, created directly on the server, each with {@link #APP_BYTES} of committed lines. */
    private void createApps() {
        int n = Math.min(MAX_APPS, connections);
        linesPerApp = (int) Math.max(16, APP_BYTES / lineSize);
        String prefix = "bench-gw-" + Long.toHexString(new SplittableRandom().nextLong() >>> 24);
        apps = new String[n];
        tokens = new long[n];
        progress("creating " + n + " apps (" + prefix + "-*) with " + linesPerApp + " lines of " + lineSize + " bytes each");
        SplittableRandom random = new SplittableRandom(1);
        HeapStoreClient client = new HeapStoreClient(control, TimeUnit.SECONDS.toMillis(60));
        for (int i = 0; i < n; i++) {
            String app = prefix + "-" + i;
            OpenHeapResponse opened = client.blocking().openHeap(OpenHeapRequest.newBuilder().setApp(app)
                    .setDevice("bench-gw").setCreate(true).setLineSize(lineSize).setLeaseMillis(LEASE_MILLIS).build());
            if (!opened.getCreated()) {
                throw new IllegalStateException("app " + app + " already existed; run the benchmark again");
            }
            // on Ctrl-C with the bench's own server and database, the whole database goes anyway
            run.atEnd("delete app " + app, interrupted -> {
                if (!(interrupted && ownDatabase)) {
                    HeapStoreGrpc.newBlockingStub(control).withDeadlineAfter(interrupted ? 5 : 30, TimeUnit.SECONDS)
                            .deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build());
                }
            });
            apps[i] = app;
            tokens[i] = opened.getLease().getFencingToken();
            List<Line> lines = new ArrayList<>(linesPerApp);
            for (int id = 0; id < linesPerApp; id++) {
                byte[] b = new byte[lineSize];
                random.nextBytes(b);
                lines.add(Line.newBuilder().setLineId(id).setData(ByteString.copyFrom(b)).build());
            }
            client.commit(CommitHeader.newBuilder().setApp(app).setFencingToken(tokens[i]).setDevice("bench-gw")
                    .setVmState(ByteString.copyFromUtf8("bench")).build(), lines, List.of(), HeapStoreClient.DEFAULT_BATCH_BYTES);
        }
        // the leases are 10 minutes long: renew them while the bench runs longer
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(daemon("vheap-bench-renew"));
        run.atEnd("stop renewing the leases", interrupted -> renewer.shutdownNow());
        renewer.scheduleWithFixedDelay(this::renewLeases, 2, 2, TimeUnit.MINUTES);
    }

    private void renewLeases() {
        for (int i = 0; i < apps.length; i++) {
            try {
                HeapStoreGrpc.newBlockingStub(control).withDeadlineAfter(10, TimeUnit.SECONDS).renewLease(
                        RenewLeaseRequest.newBuilder().setApp(apps[i]).setFencingToken(tokens[i]).setLeaseMillis(LEASE_MILLIS).build());
            } catch (StatusRuntimeException e) {
                run.note("could not renew the lease of " + apps[i] + ": " + e.getStatus());
            }
        }
    }

    private TransactRequest read(int app, long line) {
        return TransactRequest.newBuilder().setApp(apps[app]).setFencingToken(tokens[app]).addReadLineIds(line).build();
    }

    private void check(TransactResponse r, TransactRequest q) {
        if (r.getLinesCount() != 1 || r.getLines(0).getData().size() != lineSize) {
            throw new IllegalStateException("read of line " + q.getReadLineIds(0) + " of " + q.getApp() + " returned "
                    + r.getLinesCount() + " lines");
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // Round trips

    /**
     * Reads [0] direct, [1] through the gateway; empty calls [2] at the server, [3] at the gateway (a
     * health check, which each answers itself: one gRPC hop, the floor under every call).
     */
    private LatencySamples[] roundTrips() throws Exception {
        ManagedChannel[] ch = {channel(server, apps[0], "bench-gw-rt"), channel(gateway, apps[0], "bench-gw-rt")};
        HeapStoreGrpc.HeapStoreBlockingStub[] sides = {HeapStoreGrpc.newBlockingStub(ch[0]), HeapStoreGrpc.newBlockingStub(ch[1])};
        HealthGrpc.HealthBlockingStub[] health = {HealthGrpc.newBlockingStub(ch[0]), HealthGrpc.newBlockingStub(ch[1])};
        SplittableRandom random = new SplittableRandom(42);   // one sequence for both sides, drawn in call order
        List<Interleaving.Op> reads = new ArrayList<>();
        List<Interleaving.Op> empties = new ArrayList<>();
        List<Interleaving.Op> warmUps = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            HeapStoreGrpc.HeapStoreBlockingStub stub = sides[s];
            HealthGrpc.HealthBlockingStub hop = health[s];
            reads.add((index, warmup) -> readOnce(stub, random));
            empties.add((index, warmup) -> emptyOnce(hop));
            warmUps.add((index, warmup) -> readOnce(stub, random) + emptyOnce(hop));
        }
        progress("warming up: " + warmupSeconds + " s of one-line reads, direct and through the gateway alternating");
        interleaving.warmUp(warmUps, new Interleaving.WarmUp(200, TimeUnit.SECONDS.toNanos(warmupSeconds), Long.MAX_VALUE, 1));
        progress("measuring " + rounds + " rounds (a read and an empty call each way, which side goes first alternating)");
        Interleaving.Result r = interleaving.measure(List.of(reads, empties), Interleaving.Plan.of(rounds).cap(ROUNDS_CAP_NANOS));
        if (r.capped()) {
            progress("round trips stopped after " + r.rounds() + " of " + rounds + " rounds: the phase's time cap ("
                    + TimeUnit.NANOSECONDS.toSeconds(ROUNDS_CAP_NANOS) + " s) was reached");
        }
        return new LatencySamples[] {r.samples(0, 0), r.samples(0, 1), r.samples(1, 0), r.samples(1, 1)};
    }

    private long readOnce(HeapStoreGrpc.HeapStoreBlockingStub stub, SplittableRandom random) {
        TransactRequest q = read(0, random.nextInt(linesPerApp));
        long t0 = System.nanoTime();
        TransactResponse r = stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).transact(q);
        long t = System.nanoTime() - t0;
        check(r, q);
        return t;
    }

    private static long emptyOnce(HealthGrpc.HealthBlockingStub stub) {
        long t0 = System.nanoTime();
        stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
        return System.nanoTime() - t0;
    }

    // -----------------------------------------------------------------------------------------------------
    // Throughput

    /** One client connection: its own channel and device, one read in flight at a time. */
    private final class Conn implements StreamObserver<TransactResponse> {
        private final HeapStoreGrpc.HeapStoreStub stub;
        private final int app;
        private final SplittableRandom random;
        // one call at a time: the fields below are touched by one callback after another
        private Load load;
        private long end;
        private CountDownLatch done;
        private long started;
        private TransactRequest request;

        Conn(String target, int index) {
            app = index % apps.length;
            stub = HeapStoreGrpc.newStub(channel(target, apps[app], "bench-gw-dev-" + index));
            random = new SplittableRandom(index);
        }

        /** Reads in a closed loop until {@code end} (nanoTime), counting into {@code load}; then counts down. */
        void run(Load load, long end, CountDownLatch done) {
            this.load = load;
            this.end = end;
            this.done = done;
            issue();
        }

        private void issue() {
            request = read(app, random.nextInt(linesPerApp));
            started = System.nanoTime();
            stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).transact(request, this);
        }

        @Override
        public void onNext(TransactResponse r) {
            if (r.getLinesCount() != 1 || r.getLines(0).getData().size() != lineSize) {
                load.error(new IllegalStateException("read of line " + request.getReadLineIds(0) + " returned "
                        + r.getLinesCount() + " lines"));
            }
        }

        @Override
        public void onError(Throwable t) {
            load.error(t);
            finish(false);
        }

        @Override
        public void onCompleted() {
            finish(true);
        }

        private void finish(boolean ok) {
            long now = System.nanoTime();
            if (now <= end) {
                if (ok) {
                    load.completed(now - started);
                }
                issue();
            } else {
                done.countDown();
            }
        }
    }

    /** One side's calls in the measured windows: count, latencies, errors (synchronized: many callbacks). */
    private static final class Load {
        private final LatencySamples latency = new LatencySamples(1 << 16);
        private long nanos;
        private int errors;
        private String firstError;

        synchronized void completed(long t) {
            latency.add(t);
        }

        synchronized void error(Throwable t) {
            if (errors++ == 0) {
                firstError = t instanceof StatusRuntimeException s ? s.getStatus().toString() : t.toString();
            }
        }

        synchronized double callsPerSecond() {
            return latency.count() / (nanos / 1e9);
        }
    }

    /**
     * [0] direct, [1] through the gateway: a warm-up window per side, then two measured windows per side,
     * ordered direct, gateway, gateway, direct.
     */
    private Load[] throughput() throws Exception {
        progress("opening " + connections + " connections to the server and " + connections + " to the gateway");
        String[] targets = {server, gateway};
        String[] names = {"direct", "through the gateway"};
        Load[] loads = {new Load(), new Load()};
        long half = TimeUnit.SECONDS.toNanos(seconds) / 2;
        List<Interleaving.Op> warmUps = new ArrayList<>();
        List<Interleaving.Op> windows = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Conn> conns = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                conns.add(new Conn(targets[s], i));
            }
            String name = names[s];
            Load load = loads[s];
            warmUps.add((index, warmup) -> {
                // connect (one read each) and warm up: unmeasured
                progress("warming up " + name + " with " + connections + " connections");
                Load warm = new Load();
                long t = window(conns, warm, LOAD_WARMUP_NANOS);
                if (warm.errors > 0) {
                    throw new IllegalStateException(warm.errors + " reads " + name + " failed while warming up; the first: "
                            + warm.firstError);
                }
                return t;
            });
            windows.add((index, warmup) -> {
                progress("measuring " + name + ": " + connections + " connections for " + String.format("%.1f s", half / 1e9));
                long t = window(conns, load, half);
                load.nanos += t;
                return t;
            });
        }
        interleaving.warmUp(warmUps, new Interleaving.WarmUp(1, 0, Long.MAX_VALUE, 1));
        interleaving.measure(Interleaving.Plan.of(2), windows.toArray(new Interleaving.Op[0]));
        return loads;
    }

    /** Runs every connection's closed loop for {@code nanos}; returns the window's length. */
    private long window(List<Conn> conns, Load load, long nanos) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(conns.size());
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        for (Conn c : conns) {
            c.run(load, end, done);
        }
        if (!done.await(nanos + TimeUnit.SECONDS.toNanos(CALL_DEADLINE_SECONDS + 5), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("calls did not finish " + (CALL_DEADLINE_SECONDS + 5) + " s after the window");
        }
        return nanos;
    }

    // -----------------------------------------------------------------------------------------------------
    // Report

    private void report(String serverWhere, String gatewayWhere, LatencySamples[] rt, Load[] load) {
        LatencySamples d = rt[0];
        LatencySamples g = rt[1];
        out.println("vheap bench gateway - heap server " + serverWhere + ", gateway " + gatewayWhere);
        out.println("one-line reads (Transact, " + lineSize + "-byte lines, apps open and warm), "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature() + "; "
                + d.count() + " rounds (a read and an empty call each way) after " + warmupSeconds + " s of warm-up, direct and gateway alternating;"
                + " throughput: " + connections + " connections per side, " + seconds + " s per side");
        TextTable t = new TextTable("measure", "direct", "gateway", "gateway - direct");
        for (int p : new int[] {50, 90, 99}) {
            long a = d.percentile(p);
            long b = g.percentile(p);
            t.row("read round trip p" + p, latencyFormat.format(a), latencyFormat.format(b), difference(a, b));
        }
        long am = d.mean();
        long bm = g.mean();
        t.row("read round trip mean", latencyFormat.format(am), latencyFormat.format(bm), difference(am, bm));
        long ea = rt[2].percentile(50);
        long eb = rt[3].percentile(50);
        t.row("empty call p50 (one hop)", latencyFormat.format(ea), latencyFormat.format(eb), difference(ea, eb));
        double cd = load[0].callsPerSecond();
        double cg = load[1].callsPerSecond();
        t.row(connections + " connections: reads/s", String.format("%.0f", cd), String.format("%.0f", cg),
                String.format("%.2fx (%+.0f%%)", cg / cd, (cg / cd - 1) * 100));
        t.row(connections + " connections: p50 / p99", latencyFormat.format(load[0].latency.percentile(50)) + " / "
                        + latencyFormat.format(load[0].latency.percentile(99)),
                latencyFormat.format(load[1].latency.percentile(50)) + " / " + latencyFormat.format(load[1].latency.percentile(99)),
                difference(load[0].latency.percentile(50), load[1].latency.percentile(50)) + " at p50");
        t.print(out);
        String[] names = {"direct", "through the gateway"};
        for (int s = 0; s < 2; s++) {
            if (load[s].errors > 0) {
                out.println("!! " + load[s].errors + " reads " + names[s] + " failed under load; the first: " + load[s].firstError);
            }
        }
        long added = g.percentile(50) - d.percentile(50);
        out.println("target: gateway adds <= 60 " + micro + " at p50 "
                + (added <= P50_TARGET_NANOS ? "[met: " : "[NOT met: ") + signedMicros(added) + "]");
        out.println("difference = gateway - direct (ratio gateway / direct); empty call = a gRPC health check, answered by"
                + " the server or by the gateway itself (the cost of one loopback gRPC hop); throughput: reads completed per"
                + " second with every connection keeping one read in flight; latencies under load are of those reads");
    }

    private String difference(long direct, long via) {
        long d = via - direct;
        return (Math.abs(d) < 10_000_000 ? signedMicros(d) : String.format("%+.1f ms", d / 1e6))
                + String.format(" (%.2fx)", (double) via / direct);
    }

    private String signedMicros(long nanos) {
        return String.format("%+d %s", Math.round(nanos / 1000.0), micro);
    }

    private void progress(String s) {
        run.progress(s);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Closes every channel of the bench (after the bench apps are deleted through {@link #control}). */
    private void closeChannels() {
        List<ManagedChannel> all;
        synchronized (channels) {
            all = new ArrayList<>(channels);
        }
        for (ManagedChannel c : all) {
            c.shutdownNow();
        }
        for (ManagedChannel c : all) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
