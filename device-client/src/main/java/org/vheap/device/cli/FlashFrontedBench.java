package org.vheap.device.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vheap.bench.BenchRun;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceEvents;
import org.vheap.device.DeviceStats;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.flash.FlashFrontedStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.device.vm.loader.ParsedClasses;

/**
 * The flash bench's last table: the BigData sample (samples/BigData.java) on a device with a tenth of its live size in
 * memory, over a heap server on loopback alone and with the device's flash in front of it ({@code --store flash:DIR
 * --server}), the two taking turns (after one unmeasured run of each), a fresh app and flash directory each run: the
 * median time of a run from start to its end, and what each run's device faulted and flushed. Both checkpoint every
 * quarter of a second and when the app ends, so the flash side's runs include shipping their checkpoints to the
 * server (in the background, the last one waited for). Every run must print what the first printed.
 */
final class FlashFrontedBench {
    /** Both sides checkpoint this often (and at the end): the flash side ships what it holds to the server each time. */
    private static final java.time.Duration CHECKPOINTS = java.time.Duration.ofMillis(250);
    private final BenchRun run;
    private final PrintWriter out;
    private final VheapHome home;
    private final Path work;

    FlashFrontedBench(BenchRun run, PrintWriter out, VheapHome home, Path work) {
        this.run = run;
        this.out = out;
        this.home = home;
        this.work = work;
    }

    /** Runs the table on {@code server} (started here when null) with BigData of {@code mib} MiB, {@code rounds} each. */
    void table(String server, int mib, int rounds) throws Exception {
        String target = BenchApps.serverOrChild(run, home, work, server);
        Path classes = compileBigData();
        long memory = ((long) mib << 20) / 10;
        out.printf(Locale.ROOT, "the BigData sample (%d MiB live) on a device with %s of memory, over the heap server on %s"
                + " (loopback gRPC) alone and with the device's flash in front of it; a checkpoint every %d ms and at the"
                + " end; %d runs each, taking turns%n", mib, FlashBench.kib(memory), target, CHECKPOINTS.toMillis(), rounds);
        out.flush();
        List<Run> alone = new ArrayList<>();
        List<Run> fronted = new ArrayList<>();
        String expected = null;
        for (int round = -1; round < rounds; round++) {   // round -1: the unmeasured warm-up of each side
            for (int side = 0; side < 2; side++) {
                boolean front = (side + Math.max(0, round)) % 2 == 1;
                run.progress((round < 0 ? "warming up: " : "run " + (round + 1) + " of " + rounds + ": ")
                        + (front ? "flash in front of the server" : "the server alone"));
                Run r = once(target, classes, mib, memory, front, round + "-" + side);
                if (expected == null) {
                    expected = r.output();
                } else if (!expected.equals(r.output())) {
                    throw new IllegalStateException("a run printed something else than the first: " + r.output());
                }
                if (round >= 0) {
                    (front ? fronted : alone).add(r);
                }
            }
        }
        TextTable table = new TextTable("store", "median run", "faults (lines read)", "lines flushed",
                "checkpoints on the server", "runs");
        table.row("server alone", ms(median(alone)), median(alone, Run::misses), median(alone, Run::flushed),
                median(alone, Run::checkpoints), alone.size());
        table.row("flash in front of the server", ms(median(fronted)), median(fronted, Run::misses),
                median(fronted, Run::flushed), median(fronted, Run::checkpoints), fronted.size());
        table.print(out);
        out.printf(Locale.ROOT, "server alone / flash in front: %.2fx (target >= 2x); the flash side's checkpoints commit"
                + " in flash and reach the server in the background (each its own server checkpoint), the last before the"
                + " run ends%n", (double) median(alone) / median(fronted));
        out.flush();
    }

    private record Run(long nanos, long misses, long flushed, long checkpoints, String output) {
    }

    private Run once(String server, Path classes, int mib, long memory, boolean front, String name) throws Exception {
        String app = "bench-flash-front-" + ProcessHandle.current().pid() + "-" + name + "-" + System.nanoTime();
        run.atEnd("delete app " + app, interrupted -> ResumeBench.deleteApp(server, app));
        HeapStore remote = new GrpcHeapStore(server, GrpcHeapStore.DEFAULT_DEADLINE);
        HeapStore store;
        try {
            store = front ? FlashFrontedStore.open(work.resolve("front-" + name), new FlashStoreConfig(),
                    Clock.systemUTC(), remote, server) : remote;
        } catch (RuntimeException e) {
            remote.close();
            throw e;
        }
        try (store) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            DeviceConfig config = new DeviceConfig().app(app).deviceName("bench-flash-" + name).memoryBytes(memory)
                    .checkpointInterval(CHECKPOINTS);
            java.util.concurrent.atomic.AtomicInteger checkpoints = new java.util.concurrent.atomic.AtomicInteger();
            DeviceEvents counted = new DeviceEvents() {
                @Override
                public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
                    checkpoints.incrementAndGet();
                }

                @Override
                public void checkpointFailed(String why) {
                    run.note("a checkpoint failed: " + why);
                }
            };
            Device device = new Device(config, store, BenchApps.console(output), new ParsedClasses(), counted);
            long start = System.nanoTime();
            int exit = device.run(List.of(classes), "BigData", List.of(Integer.toString(mib), "3"));
            long nanos = System.nanoTime() - start;
            if (exit != 0) {
                throw new IllegalStateException("BigData exited with " + exit + ": " + output.toString(StandardCharsets.UTF_8));
            }
            DeviceStats s = device.stats();
            return new Run(nanos, s.misses(), s.linesFlushed(), checkpoints.get(), output.toString(StandardCharsets.UTF_8));
        }
    }

    /** samples/BigData.java compiled into the work directory. */
    private Path compileBigData() throws Exception {
        Path source = home.resolve("samples/BigData.java");
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no sample at " + source);
        }
        return BenchApps.compile(work.resolve("big-data"), "BigData", Files.readString(source),
                BenchApps.apiClasses(home));
    }

    private static long median(List<Run> runs) {
        return median(runs, Run::nanos);
    }

    private static long median(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
        return ResumeBench.median(runs.stream().mapToLong(f).toArray());
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }
}
