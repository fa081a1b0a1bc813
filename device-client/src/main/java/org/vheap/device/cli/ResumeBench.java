package org.vheap.device.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vheap.bench.BenchRun;
import org.vheap.bench.Interleaving;
import org.vheap.cli.CliValues;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.client.VheapHeaders;
import org.vheap.device.CodeCacheWarmUp;
import org.vheap.device.Device;
import org.vheap.device.DeviceAgent;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceEvents;
import org.vheap.device.DeviceResources;
import org.vheap.device.DeviceStats;
import org.vheap.device.ResumeSteps;
import org.vheap.device.control.DeviceControlClient;
import org.vheap.device.control.DeviceRegistration;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.DeviceControlGrpc;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.ResumeAppRequest;
import org.vheap.proto.v1.SuspendAppRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench resume}: resuming an app on another device, measured side by side in one run against a
 * heap server on loopback (started here on a temporary embedded database unless {@code --server} names one).
 * An app with a heap of {@code --heap} MiB is checkpointed and suspended; then it is resumed on new devices in
 * this process, three kinds taking turns (which goes first alternating) after one unmeasured resume of each:
 * lazily (the VM state and the class files, then only the lines the first instructions touch) on a device whose
 * code cache was warmed up as {@code ./vheap device start} does ({@link CodeCacheWarmUp}), lazily on a device
 * with an empty code cache (its first app), and eagerly (every line first). Each is timed from the resume call
 * to the first safepoint, step by step ({@link ResumeSteps}); each then takes a checkpoint of 100 dirty lines.
 * Then through the control plane: a device agent attached to the server, the app resumed on it by the admin's
 * {@code ResumeApp} and suspended by {@code SuspendApp}; a JVM's own start (hello world) for scale; and the bytes
 * moved when the app returns to a device. Medians of {@code --rounds} with their spread. The bench's checkpoint
 * policy: the app's own ({@code Checkpoint.now}) and one at each suspend, no periodic ones. Set-up, warm-up,
 * interleaving and clean-up (the server it started, the app, the temporary directory; also on Ctrl-C) are the
 * benches' shared harness ({@link org.vheap.bench}). Not a test: read the figures.
 */
@Command(name = "bench-resume", mixinStandardHelpOptions = true,
        description = "Resume latency of a 10 MiB heap (lazy on a warm device and on an empty code cache, eager; step by step;"
                + " through the control plane), checkpoint latency for 100 dirty lines, bytes moved on return.")
public final class ResumeBench implements Callable<Integer> {
    private static final String APP_SOURCE = """
            import org.vheap.api.Checkpoint;
            public class Resident {
                public static void main(String[] a) throws Exception {
                    int mib = Integer.parseInt(a[0]);
                    long[][] data = new long[mib * 8][];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = new long[16384 - 4];
                        for (int j = 0; j < data[i].length; j++) data[i][j] = (long) i * j + 1; // no line is all zeros
                    }
                    System.out.println("ready " + data.length);
                    for (int round = 1; ; round++) {
                        Thread.sleep(20);
                        if (round % 10 == 0) {
                            // 100 lines dirtied (one long in each of 100 distinct lines), then a checkpoint
                            for (int k = 0; k < 100; k++) data[(k * 7 + round) % data.length][(k % 30) * 512 + 1]++;
                            long t = System.nanoTime();
                            Checkpoint.now();
                            System.out.println("checkpoint-100 " + (System.nanoTime() - t));
                        }
                    }
                }
            }
            """;

    /** How long a warmed-up device is up before its app arrives (the agent's warm-up, too, is done before). */
    static final Duration WARM_UP_SETTLE = Duration.ofSeconds(1);

    /** The bench's checkpoint policy, printed in its header: the app's own and at each suspend, none periodic. */
    static final Duration CHECKPOINTS = Duration.ZERO;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "A running heap server (default: start one here on a temporary database).")
    String server;

    @Option(names = "--heap", defaultValue = "10", description = "The app's heap in MiB. Default: ${DEFAULT-VALUE}.")
    int heapMiB;

    @Option(names = "--rounds", defaultValue = "5", description = "Resumes of each kind; the median counts. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CliValues.range("--heap", heapMiB, 1, 1024);
        CliValues.range("--rounds", rounds, 1, 20);
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        PrintWriter out = spec.commandLine().getOut();
        // Ctrl-C: still stop the server, delete the bench app and the temporary directory
        try (BenchRun run = new BenchRun("bench resume", spec.commandLine().getErr(), System::nanoTime).closeOnInterrupt()) {
            VheapHome home = VheapHome.locate(ResumeBench.class);
            Path work = run.tempDir("vheap-bench-resume-");
            boolean ownServer = server == null;
            server = BenchApps.serverOrChild(run, home, work, server);
            Path api = BenchApps.apiClasses(home);
            List<Path> cp = List.of(BenchApps.compile(work, "Resident", APP_SOURCE, api), api);
            out.println("resume of an app with a " + heapMiB + " MiB heap, heap server on " + server + " (loopback gRPC)");
            out.println("checkpoint policy: on suspend and when the app asks (Checkpoint.now) only; periodic checkpoints off"
                    + " (--checkpoint-interval 0s)");
            out.flush();
            HeapStore store = new GrpcHeapStore(server, GrpcHeapStore.DEFAULT_DEADLINE);
            run.atEnd("close the store client", interrupted -> store.close());
            String app = "bench-resume-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            run.atEnd("delete app " + app, interrupted -> {
                if (!(interrupted && ownServer)) {   // on Ctrl-C the bench's own database goes anyway
                    deleteApp(app);
                }
            });
            long memory = (2L * heapMiB + 16) << 20; // eager resume brings the whole heap into half the frames
            DeviceConfig base = new DeviceConfig().app(app).memoryBytes(memory).maxHeapBytes(Math.max(1L << 30, 4 * memory))
                    .checkpointInterval(CHECKPOINTS);
            // first run: build the heap, suspend
            run.progress("building the app's heap on a first device, then suspending it");
            Recorder rec = new Recorder();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(base.copy().deviceName("bench-a"), store, BenchApps.console(first), new ParsedClasses(), rec);
            CompletableFuture<Integer> started = CompletableFuture.supplyAsync(() -> a.run(cp, "Resident", List.of(Integer.toString(heapMiB))));
            BenchApps.await(first, "ready", 1, started);
            long cpId = a.suspend(Duration.ofSeconds(60));
            started.get();
            out.printf(Locale.ROOT, "checkpointed at %d (%s resident when suspended)%n", cpId, mib(a.stats().heapBytesUsed()));

            // resumes on new devices, the sides taking turns (which goes first alternating); each side's index names
            // its device. A warm device's code cache is filled before its resume, unmeasured, as a device's start does.
            List<Kind> kinds = List.of(new Kind("lazy, warm device", false, true), new Kind("lazy, empty code cache", false, false),
                    new Kind("eager, empty code cache", true, false));   // an empty cache, the host JIT warm
            List<List<Resumed>> measured = new ArrayList<>();
            List<Interleaving.Op> sides = new ArrayList<>();
            for (Kind kind : kinds) {
                List<Resumed> results = new ArrayList<>();
                measured.add(results);
                sides.add((index, warmup) -> {
                    ParsedClasses parsed = new ParsedClasses();
                    DeviceConfig config = base.copy().eagerResume(kind.eager()).deviceName("bench-"
                            + (warmup ? "warm-up-" : "") + kind.device() + "-" + index);
                    DeviceResources resources = new DeviceResources(config.deviceName(), config.resources());
                    if (kind.warm()) {
                        // as ./vheap device start does: the device's memory taken, its code cache filled
                        resources.frameMemory().reserve((int) config.heapMemoryBytes(config.lineSize()));
                        CodeCacheWarmUp.warmUp(parsed);
                        // a device warms up when it starts, well before an app arrives: the host JIT's compiles
                        // that the boot queued are done by then, not competing with the resume for the cores
                        Thread.sleep(WARM_UP_SETTLE.toMillis());
                    }
                    Resumed res = resumeOnce(store, parsed, resources, config);
                    if (!warmup) {
                        results.add(res);
                    }
                    return res.steps().totalNanos();
                });
            }
            Interleaving interleaving = new Interleaving(System::nanoTime);
            run.progress("warming up: one resume of each kind (the host JIT compiles the VM)");
            interleaving.warmUp(sides, new Interleaving.WarmUp(1, 0, Long.MAX_VALUE, 1));
            run.progress("measuring " + rounds + " resumes of each kind, taking turns");
            interleaving.measure(Interleaving.Plan.of(rounds), sides.toArray(new Interleaving.Op[0]));
            run.progress("resuming and suspending " + rounds + " times through the control plane (a warmed-up device agent)");
            long[][] control = throughControlPlane(store, base, app);
            run.progress("starting the JVM itself " + rounds + " times (hello world)");
            long[] jvm = jvmStarts(work);
            TextTable table = new TextTable("measure", "median", "spread", "notes");
            for (int k = 0; k < kinds.size(); k++) {
                List<Resumed> rs = measured.get(k);
                long[] total = rs.stream().mapToLong(r -> r.steps().totalNanos()).toArray();
                String target = kinds.get(k).eager() ? "every line first" : "target <= 30 ms";
                long[] lines = rs.stream().mapToLong(Resumed::misses).toArray();
                table.row("resume -> first instruction, " + kinds.get(k).name(), ms(median(total)), spread(total),
                        median(lines) + " heap lines read by then (median); " + target);
                long[] stepMedians = new long[ResumeSteps.NAMES.size()];
                for (int st = 0; st < stepMedians.length; st++) {
                    int step = st;
                    stepMedians[st] = median(rs.stream().mapToLong(r -> r.steps().nanos()[step]).toArray());
                }
                table.row("  steps (medians)", "", "", steps(stepMedians));
            }
            table.row("ResumeApp through the control plane", ms(median(control[0])), spread(control[0]),
                    "the admin's call to the server until the agent's app runs: target <= 100 ms");
            table.row("SuspendApp through the control plane", ms(median(control[1])), spread(control[1]),
                    "the admin's call until the agent's app is checkpointed and its heap released");
            table.row("JVM start (java hello world, whole process)", ms(median(jvm)), spread(jvm),
                    "the same machine's java -cp DIR Hello, for scale: a process start, not a resume");
            long[] checkpoints = measured.stream().flatMap(List::stream).mapToLong(Resumed::checkpoint100).toArray();
            table.row("checkpoint of 100 dirty lines (Checkpoint.now)", ms(median(checkpoints)), spread(checkpoints),
                    "from the app's call to its return, once after each resume");
            table.print(out);
            out.println("median of " + rounds + " of each, the kinds taking turns; spread: fastest - slowest. A warm device's code"
                    + " cache was filled by booting the JDK's library once (CodeCacheWarmUp: what ./vheap device start does"
                    + " in the background); an empty one is a device's first app (in this process the host JIT is warm all the same). Steps: " + String.join(", ", ResumeSteps.NAMES)
                    + " (see ResumeSteps)");
            run.progress("the app returns to a device it ran on before");
            returnToDevice(store, base, out);
            out.println("checkpoints: the app's own (Checkpoint.now) and at each suspend; no periodic checkpoint");
            out.flush();
            return 0;
        }
    }

    /**
     * A device agent in this process (as {@code ./vheap device start} runs one, its code cache warmed up), attached to
     * the server's control plane; the app resumed on it with the admin's {@code ResumeApp} and suspended again with
     * {@code SuspendApp}, each timed from the call to its answer, after one unmeasured pair. Returns their nanoseconds.
     */
    private long[][] throughControlPlane(HeapStore store, DeviceConfig base, String app) throws Exception {
        String name = "bench-agent";
        DeviceAgent agent = new DeviceAgent(base.copy().app("-").deviceName(name), store, BenchApps.console(new ByteArrayOutputStream()),
                DeviceEvents.none(), (a, how) -> { }, 0);
        DeviceControlClient control = null;
        ManagedChannel channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            agent.warmUp().get(5, TimeUnit.MINUTES);
            Thread.sleep(WARM_UP_SETTLE.toMillis());
            control = new DeviceControlClient(server, new DeviceRegistration(name, base.memoryBytes(), List.of()),
                    agent, agent::runningApps);
            control.start();
            if (!control.awaitAttached(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the bench's device agent did not attach to " + server);
            }
            DeviceControlGrpc.DeviceControlBlockingStub admin = DeviceControlGrpc.newBlockingStub(channel);
            long[][] nanos = new long[2][rounds];
            for (int i = -1; i < rounds; i++) {
                long t = System.nanoTime();
                admin.withDeadlineAfter(2, TimeUnit.MINUTES)
                        .resumeApp(ResumeAppRequest.newBuilder().setApp(app).setDevice(name).build());
                long resumed = System.nanoTime();
                Thread.sleep(100);   // the app runs on a little, as a migrated app does
                long s = System.nanoTime();
                admin.withDeadlineAfter(2, TimeUnit.MINUTES).suspendApp(SuspendAppRequest.newBuilder().setApp(app).build());
                if (i >= 0) {
                    nanos[0][i] = resumed - t;
                    nanos[1][i] = System.nanoTime() - s;
                }
            }
            return nanos;
        } finally {
            if (control != null) {
                control.close();
            }
            agent.close();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** How a resume of the bench is done: eager or lazy, on a device with a warm code cache or an empty one. */
    private record Kind(String name, boolean eager, boolean warm) {
        String device() {
            return (eager ? "eager" : "lazy") + (warm ? "-warm" : "");
        }
    }

    /** The median of {@code values} (the mean of the middle two of an even count). */
    static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String spread(long[] values) {
        long min = java.util.Arrays.stream(values).min().orElseThrow();
        long max = java.util.Arrays.stream(values).max().orElseThrow();
        return String.format(Locale.ROOT, "%.1f - %.1f ms", min / 1e6, max / 1e6);
    }

    private static String steps(long[] nanos) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nanos.length; i++) {
            parts.add(String.format(Locale.ROOT, "%s %.1f", ResumeSteps.NAMES.get(i), nanos[i] / 1e6));
        }
        return String.join(", ", parts) + " ms";
    }

    /** {@code --rounds} starts of a hello world on this machine's JVM, as whole processes (after one unmeasured). */
    private long[] jvmStarts(Path work) throws Exception {
        Path dir = VmBench.compileHello(work);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long[] nanos = new long[rounds];
        for (int i = -1; i < rounds; i++) {
            long t = System.nanoTime();
            Process p = new ProcessBuilder(java, "-cp", dir.toString(), "Hello").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !printed.equals("hello world\n")) {
                throw new IllegalStateException("java hello world failed: " + printed);
            }
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t;
            }
        }
        return nanos;
    }

    private void deleteApp(String app) throws InterruptedException {
        deleteApp(server, app);
    }

    /** Deletes a bench app on {@code server} (with force: a device may still hold its lease). */
    static void deleteApp(String server, String app) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forTarget(server).usePlaintext().build();
        try {
            HeapStoreGrpc.newBlockingStub(channel).withInterceptors(VheapHeaders.forApp(app))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .deleteApp(DeleteAppRequest.newBuilder().setApp(app).setForce(true).build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private record Resumed(ResumeSteps steps, long misses, long checkpoint100) {
    }

    /**
     * The versioned delta: the app runs on device X (which keeps copies of its lines), moves to device Y and
     * changes about a tenth of its lines there, then returns to X, which brings in every line (eager resume):
     * only the changed ones travel.
     */
    private void returnToDevice(HeapStore store, DeviceConfig base, PrintWriter out) throws Exception {
        org.vheap.device.store.LineCache cache = new org.vheap.device.store.LineCache(1L << 30);
        DeviceStats there = run(store, new ParsedClasses(), base.copy().deviceName("bench-x").eagerResume(true), cache, 1, new Recorder()).stats();
        Recorder awayRecorder = new Recorder();
        DeviceStats away = run(store, new ParsedClasses(), base.copy().deviceName("bench-y"), null, 3, awayRecorder).stats();
        long writtenElsewhere = awayRecorder.linesCommitted + away.linesPreflushed() + away.linesFlushed();
        DeviceStats back = run(store, new ParsedClasses(), base.copy().deviceName("bench-x").eagerResume(true), cache, 1, new Recorder()).stats();
        long heapBytes = there.bytesFetched();
        TextTable table = new TextTable("the app returns to a device", "bytes", "of the heap", "notes");
        table.row("heap (read whole on the first device)", kib(heapBytes), "100%", "");
        table.row("changed elsewhere (differ from the device's copies)", bytes(back.bytesChanged()),
                percent(back.bytesChanged(), heapBytes), writtenElsewhere + " lines written elsewhere");
        table.row("moved on return (whole lines and patches)", bytes(back.bytesFetched()),
                percent(back.bytesFetched(), heapBytes), String.format(Locale.ROOT, "%.2fx the bytes changed (target <= 2x);"
                        + " %d lines unchanged from the device's copies, %d as patches against them",
                        (double) back.bytesFetched() / Math.max(1, back.bytesChanged()), back.linesUnchanged(), back.linesPatched()));
        table.print(out);
    }

    private static String bytes(long n) {
        return n < 10 * 1024 ? n + " B" : kib(n);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }

    /** What one resumed run did and printed. */
    private record Ran(DeviceStats stats, String output) {
    }

    /** Resumes the app on a new device, lets it print {@code cycles} checkpoints of 100 lines, and suspends it. */
    private Ran run(HeapStore store, ParsedClasses parsed, DeviceConfig config, org.vheap.device.store.LineCache cache,
                    int cycles, Recorder recorder) throws Exception {
        return run(store, parsed, new DeviceResources(config.deviceName(), config.resources()), config, cache, cycles,
                recorder);
    }

    private Ran run(HeapStore store, ParsedClasses parsed, DeviceResources resources, DeviceConfig config,
                    org.vheap.device.store.LineCache cache, int cycles, Recorder recorder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Device d = new Device(config, store, BenchApps.console(out), parsed, recorder, resources);
        if (cache != null) {
            d.setLineCache(cache);
        }
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> d.resume(0));
        BenchApps.await(out, "checkpoint-100 ", cycles, run);
        d.suspend(Duration.ofSeconds(60));
        run.get();
        return new Ran(d.stats(), out.toString(StandardCharsets.UTF_8));
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    /** Resumes the app on a new device, waits for one app checkpoint of 100 lines, and suspends it again. */
    private Resumed resumeOnce(HeapStore store, ParsedClasses parsed, DeviceResources resources, DeviceConfig config)
            throws Exception {
        Recorder rec = new Recorder();
        Ran ran = run(store, parsed, resources, config, null, 1, rec);
        Matcher m = Pattern.compile("checkpoint-100 (\\d+)").matcher(ran.output());
        long cp = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
        return new Resumed(rec.steps, rec.missesAtResume, cp);
    }

    /** Records the device's resume time. */
    private static final class Recorder implements DeviceEvents {
        volatile ResumeSteps steps;
        volatile long missesAtResume;
        volatile long linesCommitted;

        @Override
        public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            linesCommitted += lines;
        }

        @Override
        public void checkpointFailed(String why) {
        }

        @Override
        public void resumed(long checkpointId, org.vheap.device.ResumeSteps steps, long linesFetched) {
            this.steps = steps;
            missesAtResume = linesFetched;
        }
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
