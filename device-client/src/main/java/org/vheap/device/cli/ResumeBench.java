package org.vheap.device.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import javax.tools.ToolProvider;
import org.vheap.bench.BenchRun;
import org.vheap.bench.ChildHeapServer;
import org.vheap.bench.Interleaving;
import org.vheap.cli.CliValues;
import org.vheap.cli.LatencySamples;
import org.vheap.cli.VheapHome;
import org.vheap.client.VheapHeaders;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.DeviceEvents;
import org.vheap.device.DeviceStats;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.proto.v1.DeleteAppRequest;
import org.vheap.proto.v1.HeapStoreGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench resume}: resuming an app on another device, measured side by side in one run against a
 * heap server on loopback (started here on a temporary embedded database unless {@code --server} names one).
 * An app with a heap of {@code --heap} MiB is checkpointed and suspended; then it is resumed on a new device
 * (a new VM with its own parse cache, as a new process would have) lazily — the VM state and the class files,
 * then only the lines the first instructions touch — and eagerly (every line first), timing from the resume
 * call to the first instruction; then a checkpoint of 100 dirty lines; then bytes moved when the app returns
 * to a device. Best of {@code --rounds}, lazy and eager taking turns (which goes first alternating) after one
 * unmeasured resume of each. The bench's checkpoint policy: the app's own ({@code Checkpoint.now}) and one at each
 * suspend, no periodic ones. Set-up, warm-up, interleaving and clean-up (the server it started, the app, the
 * temporary directory; also on Ctrl-C) are the benches' shared harness ({@link org.vheap.bench}). Not a test:
 * read the figures.
 */
@Command(name = "bench-resume", mixinStandardHelpOptions = true,
        description = "Resume latency (lazy vs eager) for a 10 MiB heap, checkpoint latency for 100 dirty lines, bytes moved on return.")
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

    /** The bench's checkpoint policy, printed in its header: the app's own and at each suspend, none periodic. */
    static final Duration CHECKPOINTS = Duration.ZERO;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "A running heap server (default: start one here on a temporary database).")
    String server;

    @Option(names = "--heap", defaultValue = "10", description = "The app's heap in MiB. Default: ${DEFAULT-VALUE}.")
    int heapMiB;

    @Option(names = "--rounds", defaultValue = "3", description = "Resumes of each kind; the best counts. Default: ${DEFAULT-VALUE}.")
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
            if (ownServer) {
                Path data = work.resolve("data");
                run.progress("starting a heap server (./vheap server, embedded PostgreSQL under " + data + ")");
                ChildHeapServer child = ChildHeapServer.start(home, data, run::note);
                run.atEnd("stop the heap server", interrupted -> child.close());
                server = child.address();
            }
            Path api = apiClasses(home);
            List<Path> cp = List.of(compile(work, api), api);
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
            Device a = new Device(base.copy().deviceName("bench-a"), store, console(first), new ParsedClasses(), rec);
            CompletableFuture<Integer> started = CompletableFuture.supplyAsync(() -> a.run(cp, "Resident", List.of(Integer.toString(heapMiB))));
            await(first, "ready", 1, started);
            long cpId = a.suspend(Duration.ofSeconds(60));
            started.get();
            out.printf(Locale.ROOT, "checkpointed at %d (%s resident when suspended)%n", cpId, mib(a.stats().heapBytesUsed()));

            // lazy and eager resumes on new devices, which goes first alternating; each side's index names its device
            long[] heapLines = new long[2];
            long[] checkpointBest = {Long.MAX_VALUE};
            List<Interleaving.Op> sides = new ArrayList<>();
            for (boolean eager : new boolean[] {false, true}) {
                int side = sides.size();
                sides.add((index, warmup) -> {
                    Resumed res = resumeOnce(store, base.copy().eagerResume(eager)
                            .deviceName("bench-" + (warmup ? "warm-up-" : "") + (eager ? "eager-" : "lazy-") + index));
                    if (!warmup) {
                        heapLines[side] = res.misses;
                        checkpointBest[0] = Math.min(checkpointBest[0], res.checkpoint100);
                    }
                    return res.nanos;
                });
            }
            Interleaving interleaving = new Interleaving(System::nanoTime);
            run.progress("warming up: a lazy and an eager resume (the host JIT compiles the VM)");
            interleaving.warmUp(sides, new Interleaving.WarmUp(1, 0, Long.MAX_VALUE, 1));
            run.progress("measuring " + rounds + " resumes of each kind, lazy and eager alternating which goes first");
            Interleaving.Result resumes = interleaving.measure(Interleaving.Plan.of(rounds), sides.toArray(new Interleaving.Op[0]));
            long lazyBest = best(resumes.samples(0, 0));
            long eagerBest = best(resumes.samples(0, 1));
            out.printf(Locale.ROOT, "%-46s %10s  %s%n", "measure", "best", "notes");
            out.printf(Locale.ROOT, "%-46s %10s  %s%n", "resume call -> first instruction, lazy", ms(lazyBest),
                    "VM state, class files, then lines on demand: " + heapLines[0] + " heap lines by then (target <= 50 ms, goal 30 ms)");
            out.printf(Locale.ROOT, "%-46s %10s  %s%n", "resume call -> first instruction, eager", ms(eagerBest),
                    "every line first: " + heapLines[1] + " heap lines");
            out.printf(Locale.ROOT, "%-46s %9.2fx  %s%n", "eager / lazy", (double) eagerBest / lazyBest, "");
            out.printf(Locale.ROOT, "%-46s %10s  %s%n", "checkpoint of 100 dirty lines (Checkpoint.now)", ms(checkpointBest[0]),
                    "from the app's call to its return");
            run.progress("the app returns to a device it ran on before");
            returnToDevice(store, base, out);
            out.println("checkpoints: the app's own (Checkpoint.now) and at each suspend; no periodic checkpoint");
            out.flush();
            return 0;
        }
    }

    private static long best(LatencySamples samples) {
        return java.util.Arrays.stream(samples.values()).min().orElseThrow();
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

    private record Resumed(long nanos, long misses, long checkpoint100) {
    }

    /**
     * The versioned delta: the app runs on device X (which keeps copies of its lines), moves to device Y and
     * changes about a tenth of its lines there, then returns to X, which brings in every line (eager resume):
     * only the changed ones travel.
     */
    private void returnToDevice(HeapStore store, DeviceConfig base, PrintWriter out) throws Exception {
        org.vheap.device.store.LineCache cache = new org.vheap.device.store.LineCache(1L << 30);
        DeviceStats there = run(store, base.copy().deviceName("bench-x").eagerResume(true), cache, 1, new Recorder()).stats();
        Recorder awayRecorder = new Recorder();
        DeviceStats away = run(store, base.copy().deviceName("bench-y"), null, 3, awayRecorder).stats();
        long writtenElsewhere = awayRecorder.linesCommitted + away.linesPreflushed() + away.linesFlushed();
        DeviceStats back = run(store, base.copy().deviceName("bench-x").eagerResume(true), cache, 1, new Recorder()).stats();
        long heapBytes = there.bytesFetched();
        out.printf(Locale.ROOT, "%-46s %10s  %s%n", "app returns to a device: bytes moved",
                String.format(Locale.ROOT, "%.1f%%", 100.0 * back.bytesFetched() / heapBytes),
                String.format(Locale.ROOT, "%s of the %s heap fetched; %d lines unchanged from the device's copies; meanwhile "
                        + "%d lines were written elsewhere (target <= 15%% of the heap)", kib(back.bytesFetched()), kib(heapBytes),
                        back.linesUnchanged(), writtenElsewhere));
    }

    /** What one resumed run did and printed. */
    private record Ran(DeviceStats stats, String output) {
    }

    /** Resumes the app on a new device, lets it print {@code cycles} checkpoints of 100 lines, and suspends it. */
    private Ran run(HeapStore store, DeviceConfig config, org.vheap.device.store.LineCache cache, int cycles,
                    Recorder recorder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Device d = new Device(config, store, console(out), new ParsedClasses(), recorder);
        if (cache != null) {
            d.setLineCache(cache);
        }
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> d.resume(0));
        await(out, "checkpoint-100 ", cycles, run);
        d.suspend(Duration.ofSeconds(60));
        run.get();
        return new Ran(d.stats(), out.toString(StandardCharsets.UTF_8));
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    /** Resumes the app on a new device, waits for one app checkpoint of 100 lines, and suspends it again. */
    private Resumed resumeOnce(HeapStore store, DeviceConfig config) throws Exception {
        Recorder rec = new Recorder();
        Ran ran = run(store, config, null, 1, rec);
        Matcher m = Pattern.compile("checkpoint-100 (\\d+)").matcher(ran.output());
        long cp = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
        return new Resumed(rec.resumeNanos, rec.missesAtResume, cp);
    }

    /** Records the device's resume time. */
    private static final class Recorder implements DeviceEvents {
        volatile long resumeNanos;
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
        public void resumed(long checkpointId, long nanos, long linesFetched) {
            resumeNanos = nanos;
            missesAtResume = linesFetched;
        }
    }

    /** Waits until the app printed {@code text} {@code times} times; fails if it ends first or after 5 minutes. */
    private static void await(ByteArrayOutputStream out, String text, int times, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (out.toString(StandardCharsets.UTF_8).split(Pattern.quote(text), -1).length <= times) {
            if (run.isDone()) {
                run.get();
                throw new IllegalStateException("the bench app ended early: " + out.toString(StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bench app did not print '" + text + "' " + times + " times");
            }
            Thread.sleep(5);
        }
    }

    private static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private Path compile(Path work, Path api) throws Exception {
        Path dir = work.resolve("classes");
        Files.createDirectories(dir);
        Path src = work.resolve("Resident.java");
        Files.writeString(src, APP_SOURCE);
        var javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the bench compiles its app: run it on a JDK, not a JRE");
        }
        int rc = javac.run(null, null, null, "--release", "17", "-cp", api.toString(), "-d", dir.toString(), src.toString());
        if (rc != 0) {
            throw new IllegalStateException("compiling the bench app failed");
        }
        return dir;
    }

    /** The app API's classes: vheap-api/target/classes in the checkout (the launcher builds it). */
    private static Path apiClasses(VheapHome home) {
        Path classes = home.resolve("vheap-api/target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no app API classes at " + classes + "; build them: ./mvnw -q -pl vheap-api package");
        }
        return classes;
    }
}
