package org.vheap.device.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.tools.ToolProvider;
import org.vheap.bench.BenchRun;
import org.vheap.bench.ChildHeapServer;
import org.vheap.cli.CliValues;
import org.vheap.cli.LatencySamples;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.DeviceStats;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.heap.CollectionLog;
import org.vheap.device.vm.loader.ParsedClasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench vm}: the device VM against HotSpot's bytecode interpreter ({@code java -Xint}) on the
 * benchmark samples, measured side by side in one run. For each program: the time of {@code java -Xint} (a
 * separate process, its start-up included; best of two) and of the device VM with all lines resident (memory twice
 * the peak heap; in this process, after one warm-up run, the VM's boot included), their ratio and the geometric
 * mean; then the device with memory a tenth of the program's peak heap (the user heap's, garbage included, from a
 * warm-up run without a nursery, as before there was one) on the in-memory store against all-resident,
 * with misses, flushes and evicted class (system) lines; then the same two memories over a real heap server on
 * loopback (started here on a temporary embedded database unless {@code --server} names one), with the lines
 * read, written, discarded as garbage and deleted, the line bytes moved each way, and the minor and full
 * collections' counts and pauses (median and longest); then each kind of collection of that run (minor, working
 * sets', young, full) with its pauses and the heap lines each touched and faulted in; then, for the allocation-heavy
 * samples, working sets on (a quarter of the memory; one run) against off, young collections on (one run) against
 * off, and the nursery off (one run) against on, at a tenth over the server (misses, the collections' faults, lines
 * read and written, and how many times fewer).
 *
 * <p>Each device configuration runs until it stops getting faster (its paths through the interpreter and the
 * paging get compiled by the host JIT; at most {@link #MAX_WARM_UP_RUNS} runs, untimed but for the first run with the
 * tier in {@code --interpreter-only}), then {@link #RUNS} times, in turn with the others so none gets all the
 * warming; its median time is printed, and the spread under the tables. Every device output is checked against
 * HotSpot's. The bench's checkpoint policy: none (no periodic checkpoint), on both stores. The compiled samples go to a temporary
 * directory deleted at the end (the benches' {@link BenchRun}). Not a test: machines are noisy; read the ratios.
 */
@Command(name = "bench-vm", mixinStandardHelpOptions = true,
        description = "The device VM vs java -Xint on the benchmark samples, and paging at 1/10 of the heap.")
public final class VmBench implements Callable<Integer> {
    /** A benchmark program and the argument that sizes it. */
    record Program(String name, String mainClass, String fullSize, String quickSize) {
    }

    static final List<Program> PROGRAMS = List.of(
            new Program("binary-trees", "BinaryTrees", "14", "8"),
            new Program("n-body", "NBody", "300000", "2000"),
            new Program("fannkuch-redux", "FannkuchRedux", "10", "7"),
            new Program("spectral-norm", "SpectralNorm", "500", "40"),
            new Program("collections", "CollectionsBench", "20", "1"));

    /**
     * A sample whose objects outlive the nursery and then die scattered, fragmenting the user heap: run only with
     * compaction off and on, on the in-memory store (at a tenth of its heap it misses millions of times, each a round
     * trip over a server).
     */
    static final Program FRAGMENTING = new Program("cache-churn", "CacheChurn", "40000", "4000");

    /** The allocation-heavy samples, also run with the nursery off: what the nursery saves. */
    static final List<String> ALLOCATION_HEAVY = List.of("binary-trees", "collections");
    /** {@link #deviceRun}'s settings: the device's defaults. */
    private static final UnaryOperator<DeviceConfig> DEFAULTS = config -> config;

    /** Runs of each device configuration (their median is printed, and their spread). */
    static final int RUNS = 3;

    /** The bench's checkpoint policy, printed in its header: no periodic checkpoint. */
    static final java.time.Duration CHECKPOINTS = java.time.Duration.ZERO;

    @Option(names = "--samples", defaultValue = "samples", description = "Directory with the sample sources. Default: ${DEFAULT-VALUE}.")
    Path samples;

    @Option(names = "--quick", description = "Small sizes (a smoke run, meaningless ratios).")
    boolean quick;

    @Option(names = "--only", split = ",", description = "Run only these programs (names as printed).")
    List<String> only;

    @Option(names = "--interpreter-only", description = "Only the first table: the device VM, all lines resident, vs java"
            + " -Xint (no paging, no server; a few minutes).")
    boolean interpreterOnly;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "A running heap server for the paging section over gRPC (default: start one here on a temporary database).")
    String server;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final ParsedClasses parsed = new ParsedClasses();

    @Override
    public Integer call() throws Exception {
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        try (BenchRun run = new BenchRun("bench vm", spec.commandLine().getErr(), System::nanoTime).closeOnInterrupt()) {
            Path work = run.tempDir("vheap-bench-vm-");
            if (interpreterOnly) {
                return interpreter(work);
            }
            if (server == null) {
                Path data = work.resolve("data");
                run.progress("starting a heap server (./vheap server, embedded PostgreSQL under " + data + ")");
                ChildHeapServer child = ChildHeapServer.start(VheapHome.locate(VmBench.class), data, run::note);
                run.atEnd("stop the heap server", interrupted -> child.close());
                server = child.address();
            }
            try (GrpcHeapStore store = new GrpcHeapStore(server, GrpcHeapStore.DEFAULT_DEADLINE)) {
                return measure(work, store);
            }
        }
    }

    /** The two tables, the samples compiled into {@code work}; 0 when every output was HotSpot's. */
    private int measure(Path work, HeapStore grpc) throws Exception {
        Path classes = compile(work);
        PrintWriter out = spec.commandLine().getOut();
        TextTable table = new TextTable("program", "java -Xint", "device VM", "ratio", "output");
        TextTable pagingTable = new TextTable("program", "peak heap", "memory", "time", "vs resident", "misses", "lines flushed",
                "class lines evicted");
        TextTable serverTable = new TextTable("program", "resident", "vs in-memory", "memory", "time", "vs resident",
                "misses", "lines read", "lines written", "discarded", "deleted", "KiB in", "KiB out", "GCs minor/full",
                "minor p50/max", "full p50/max");
        TextTable collectionTable = new TextTable("program", "kind", "count", "pause p50/max", "lines touched p50/max",
                "faulted p50/max", "faulted in all", "over bound");
        TextTable workingSetTable = new TextTable("program", "memory", "working set", "time off", "time on", "misses off",
                "misses on", "full GCs off", "full/ws GCs on", "GC faults off", "GC faults on", "written off", "written on");
        TextTable compactionTable = new TextTable("program", "store", "memory", "time off", "time on", "misses off", "misses on",
                "read off", "read on", "written off", "written on", "full GCs on", "KiB moved");
        TextTable youngTable = new TextTable("program", "memory", "time off", "time on", "misses off", "misses on", "read off",
                "read on", "written off", "written on", "full GCs off", "young/full GCs on");
        TextTable nurseryTable = new TextTable("program", "memory", "nursery", "time off", "time on", "misses off", "misses on",
                "fewer misses", "flushed off", "flushed on", "fewer flushed", "KiB promoted");
        double logSum = 0;
        double pagingLogSum = 0;
        double serverLogSum = 0;
        double serverPagingLogSum = 0;
        // the programs whose tenth is above the memory floor: the geometric mean is over those only
        double aboveFloorLogSum = 0;
        int aboveFloor = 0;
        int n = 0;
        boolean allEqual = true;
        List<String> spreads = new ArrayList<>();
        for (Program p : PROGRAMS) {
            if (only != null && !only.contains(p.name())) {
                continue;
            }
            String size = quick ? p.quickSize() : p.fullSize();
            Run hotspot = best(hotspot(classes, p.mainClass(), size), hotspot(classes, p.mainClass(), size));
            // warm-up (the host JIT compiles the interpreter) with ample memory, which also finds the peak heap: without
            // a nursery, so it is the user heap's peak, garbage included, as the bench measured it before the nursery
            // (a nursery keeps garbage out of the user heap, so its peak is lower: a tenth of it would be harder on the
            // paging than the same program's tenth was); then each configuration RUNS times, the configurations
            // alternately so neither gets all the warming, and the median of each
            Run warm = deviceRun(classes, p.mainClass(), size, 256L << 20, config -> config.nurseryBytes(0));
            long allResident = Math.max(1L << 20, 2 * warm.stats.peakHeapBytes());
            long tenth = Math.max(DeviceConfig.MIN_FRAMES * 4096L, warm.stats.peakHeapBytes() / 10);
            List<Run> residentRuns = new ArrayList<>();
            List<Run> pagedRuns = new ArrayList<>();
            List<Run> serverResidentRuns = new ArrayList<>();
            List<Run> serverPagedRuns = new ArrayList<>();
            // untimed runs of each configuration first, until it stops getting faster: each takes paths of the
            // interpreter and the paging the others do not (the host JIT recompiles the VM's dispatch loop for them);
            // in a device process that had run nothing else, the first three runs of binary-trees at a tenth over the
            // server took 10.9, 5.6 and 3.4 s (the next ones about 3): one untimed run may leave a configuration cold
            warmUp(() -> deviceRun(classes, p.mainClass(), size, allResident));
            warmUp(() -> deviceRun(classes, p.mainClass(), size, tenth));
            warmUp(() -> deviceRun(grpc, classes, p.mainClass(), size, allResident));
            warmUp(() -> deviceRun(grpc, classes, p.mainClass(), size, tenth));
            for (int i = 0; i < RUNS; i++) {
                residentRuns.add(deviceRun(classes, p.mainClass(), size, allResident));
                pagedRuns.add(deviceRun(classes, p.mainClass(), size, tenth));
                // the same two memories over the heap server: every miss is a loopback round trip
                serverResidentRuns.add(deviceRun(grpc, classes, p.mainClass(), size, allResident));
                serverPagedRuns.add(deviceRun(grpc, classes, p.mainClass(), size, tenth));
            }
            Run resident = median(residentRuns);
            Run paged = median(pagedRuns);
            Run serverResident = median(serverResidentRuns);
            Run serverPaged = median(serverPagedRuns);
            spreads.add(p.name() + " " + size + ": resident " + spread(residentRuns) + ", 1/10 " + spread(pagedRuns)
                    + "; over the server resident " + spread(serverResidentRuns) + ", 1/10 " + spread(serverPagedRuns));
            boolean equal = sameOutput(hotspot, residentRuns, pagedRuns, serverResidentRuns, serverPagedRuns);
            allEqual &= equal;
            double ratio = resident.seconds / hotspot.seconds;
            double pagingRatio = paged.seconds / resident.seconds;
            logSum += Math.log(ratio);
            pagingLogSum += Math.log(pagingRatio);
            n++;
            table.row(p.name() + " " + size, secs(hotspot.seconds), secs(resident.seconds), times(ratio),
                    equal ? "same" : "DIFFERENT");
            pagingTable.row(p.name() + " " + size, kib(warm.stats.peakHeapBytes()), kib(tenth),
                    secs(paged.seconds), times(pagingRatio), Long.toString(paged.stats.misses()),
                    Long.toString(paged.stats.linesFlushed()), Long.toString(paged.stats.systemEvictions()));
            double overMemory = serverResident.seconds / resident.seconds;
            double serverPaging = serverPaged.seconds / serverResident.seconds;
            serverLogSum += Math.log(overMemory);
            serverPagingLogSum += Math.log(serverPaging);
            if (warm.stats.peakHeapBytes() / 10 > DeviceConfig.MIN_FRAMES * 4096L) {
                aboveFloorLogSum += Math.log(serverPaging);
                aboveFloor++;
            }
            DeviceStats sp = serverPaged.stats;
            long lineSize = new DeviceConfig().lineSize();
            serverTable.row(p.name() + " " + size, secs(serverResident.seconds), times(overMemory), kib(tenth),
                    secs(serverPaged.seconds), times(serverPaging), Long.toString(sp.misses()), Long.toString(sp.linesFetched()),
                    Long.toString(sp.linesFlushed() + sp.linesPreflushed()), Long.toString(sp.linesDiscarded()),
                    Long.toString(sp.linesDeleted()), Long.toString(sp.bytesFetched() >> 10),
                    Long.toString((sp.linesFlushed() + sp.linesPreflushed()) * lineSize >> 10),
                    sp.minorCollections() + "/" + sp.collectionPauseNanos().length, pauses(sp.minorPauseNanos()),
                    pauses(sp.collectionPauseNanos()));
            collectionRows(collectionTable, p.name() + " " + size, sp.collectionLog());
            if (ALLOCATION_HEAVY.contains(p.name())) {
                long workingSet = Math.max(new DeviceConfig().lineSize(), Long.highestOneBit(tenth / 4));
                Run withWorkingSets = deviceRun(grpc, classes, p.mainClass(), size, tenth,
                        config -> config.workingSetBytes(workingSet));
                allEqual &= hotspot.output.equals(withWorkingSets.output);
                DeviceStats ws = withWorkingSets.stats;
                workingSetTable.row(p.name() + " " + size, kib(tenth), kib(workingSet), secs(serverPaged.seconds),
                        secs(withWorkingSets.seconds), Long.toString(sp.misses()), Long.toString(ws.misses()),
                        Long.toString(sp.collectionPauseNanos().length),
                        ws.collectionPauseNanos().length + "/" + ws.workingSetCollections(),
                        Long.toString(faultedInAll(sp.collectionLog(), null)), Long.toString(faultedInAll(ws.collectionLog(), null)),
                        Long.toString(sp.linesFlushed() + sp.linesPreflushed()), Long.toString(ws.linesFlushed() + ws.linesPreflushed()));
                Run notCompacting = deviceRun(grpc, classes, p.mainClass(), size, tenth, config -> config.compaction(false));
                allEqual &= hotspot.output.equals(notCompacting.output);
                compactionRow(compactionTable, p.name() + " " + size, "server", tenth, notCompacting, serverPaged);
                Run young = deviceRun(grpc, classes, p.mainClass(), size, tenth, config -> config.youngCollections(true));
                allEqual &= hotspot.output.equals(young.output);
                DeviceStats yo = young.stats;
                youngTable.row(p.name() + " " + size, kib(tenth), secs(serverPaged.seconds), secs(young.seconds),
                        Long.toString(sp.misses()), Long.toString(yo.misses()), Long.toString(sp.linesFetched()),
                        Long.toString(yo.linesFetched()), Long.toString(sp.linesFlushed() + sp.linesPreflushed()),
                        Long.toString(yo.linesFlushed() + yo.linesPreflushed()), Long.toString(sp.collectionPauseNanos().length),
                        yo.youngCollections() + "/" + yo.collectionPauseNanos().length);
                Run noNursery = deviceRun(grpc, classes, p.mainClass(), size, tenth, config -> config.nurseryBytes(0));
                allEqual &= hotspot.output.equals(noNursery.output);
                DeviceStats off = noNursery.stats;
                nurseryTable.row(p.name() + " " + size, kib(tenth), kib(sp.nurseryBytes()), secs(noNursery.seconds),
                        secs(serverPaged.seconds), Long.toString(off.misses()), Long.toString(sp.misses()),
                        fewer(off.misses(), sp.misses()), Long.toString(off.linesFlushed() + off.linesPreflushed()),
                        Long.toString(sp.linesFlushed() + sp.linesPreflushed()),
                        fewer(off.linesFlushed() + off.linesPreflushed(), sp.linesFlushed() + sp.linesPreflushed()),
                        Long.toString(sp.bytesPromoted() >> 10));
            }
            out.flush();
        }
        boolean fragmenting = only == null || only.contains(FRAGMENTING.name());
        if (fragmenting) {
            allEqual &= fragmentingRow(compactionTable, classes, quick ? FRAGMENTING.quickSize() : FRAGMENTING.fullSize());
        }
        if (n == 0 && !fragmenting) {
            throw new IllegalArgumentException("no program selected; names: binary-trees, n-body, fannkuch-redux, spectral-norm,"
                    + " collections, cache-churn");
        }
        StartUp startUp = quick ? StartUp.SKIPPED : startUp(work);
        out.println("device VM, all lines resident, vs java -Xint (output compared with HotSpot's)");
        table.print(out);
        out.printf(Locale.ROOT, "geometric mean: %.2fx -Xint (target for issue 4: <= 4x; project goal 1.5x)%n%n", Math.exp(logSum / n));
        startUp.print(out);
        allEqual &= startUp.same();
        out.println();
        out.println("device VM with memory = 1/10 of the peak heap (in-memory store) vs all resident");
        pagingTable.print(out);
        out.printf(Locale.ROOT, "geometric mean: %.2fx all-resident (target: <= 3x)%n%n", Math.exp(pagingLogSum / n));
        out.println("the same over a heap server on loopback (" + server + "): all resident vs all resident in memory, and"
                + " 1/10 of the peak heap vs all resident over the server; lines and KiB of the 1/10 run");
        serverTable.print(out);
        out.printf(Locale.ROOT, "geometric means: resident over the server %.2fx in-memory (target: <= 1.2x); 1/10 over the"
                + " server %.2fx resident over the server, %s over the %d programs whose tenth is above the memory floor"
                + " (target: <= 1.5x)%n", Math.exp(serverLogSum / n), Math.exp(serverPagingLogSum / n),
                aboveFloor == 0 ? "-" : times(Math.exp(aboveFloorLogSum / aboveFloor)), aboveFloor);
        out.println();
        out.println("collections at 1/10 of the peak heap over the server (the median run): each kind's pauses, the heap lines"
                + " each read or wrote and of those the ones it faulted in (over bound: working sets' collections that faulted"
                + " more than their groups' lines and their remembered slots' lines)");
        collectionTable.print(out);
        out.println();
        out.println("working sets off (the default) vs on (--working-set a quarter of the memory), 1/10 of the peak heap over"
                + " the server: misses, collections, the lines collections faulted in, lines written");
        workingSetTable.print(out);
        out.println();
        out.println("compaction off (--no-compact) vs on (the default), 1/10 of the peak heap: misses, lines read from and"
                + " written to the store, and what the full collections moved");
        compactionTable.print(out);
        out.println();
        out.println("young collections off (the default) vs on (--young), 1/10 of the peak heap over the server: misses, lines"
                + " read from and written to the store, collections");
        youngTable.print(out);
        out.println();
        out.println("the nursery off (--nursery 0) vs on (the default, an eighth of the memory), 1/10 of the peak heap over the"
                + " server: misses and lines written (target: >= 5x fewer each)");
        nurseryTable.print(out);
        out.println("each device time is the median of " + RUNS + " runs, after untimed runs of each configuration until it"
                + " stopped getting faster; their"
                + " spread (fastest-slowest):");
        for (String line : spreads) {
            out.println("  " + line);
        }
        out.println("checkpoints: none (the bench's policy: no periodic checkpoint, on both stores)");
        out.flush();
        return allEqual ? 0 : 1;
    }

    private record Run(double seconds, String output, DeviceStats stats) {
    }

    /** The interpreter alone: the tier off. */
    private static final UnaryOperator<DeviceConfig> NO_TIER = config -> config.tierThreshold(-1);

    /**
     * {@code --interpreter-only}: the device VM all resident against {@code java -Xint}, the interpreter alone
     * ({@code --no-tier}) and with the tier (the default), each device time the median of {@link #RUNS} runs after
     * warming up, the two configurations in turn; 0 when every output was HotSpot's.
     */
    private int interpreter(Path work) throws Exception {
        Path classes = compile(work);
        PrintWriter out = spec.commandLine().getOut();
        TextTable table = new TextTable("program", "java -Xint", "interpreter", "ratio", "with the tier", "ratio",
                "first run", "ratio", "methods translated", "output");
        double interpretedLogSum = 0;
        double tieredLogSum = 0;
        double firstLogSum = 0;
        int n = 0;
        boolean allEqual = true;
        List<String> spreads = new ArrayList<>();
        for (Program p : selected()) {
            String size = quick ? p.quickSize() : p.fullSize();
            Run hotspot = best(hotspot(classes, p.mainClass(), size), hotspot(classes, p.mainClass(), size));
            // the peak heap, on a code cache of its own: the first run with the tier below is the first to translate
            Run warm = deviceRun(new ParsedClasses(), classes, p.mainClass(), size, 256L << 20,
                    config -> config.nurseryBytes(0));
            long allResident = Math.max(1L << 20, 2 * warm.stats.peakHeapBytes());
            warmUp(() -> deviceRun(classes, p.mainClass(), size, allResident, NO_TIER));
            Run first = warmUp(() -> deviceRun(classes, p.mainClass(), size, allResident));
            List<Run> interpretedRuns = new ArrayList<>();
            List<Run> tieredRuns = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                interpretedRuns.add(deviceRun(classes, p.mainClass(), size, allResident, NO_TIER));
                tieredRuns.add(deviceRun(classes, p.mainClass(), size, allResident));
            }
            boolean equal = sameOutput(hotspot, interpretedRuns, tieredRuns, List.of(first));
            allEqual &= equal;
            Run interpreted = median(interpretedRuns);
            Run tiered = median(tieredRuns);
            double interpretedRatio = interpreted.seconds / hotspot.seconds;
            double tieredRatio = tiered.seconds / hotspot.seconds;
            double firstRatio = first.seconds / hotspot.seconds;
            interpretedLogSum += Math.log(interpretedRatio);
            tieredLogSum += Math.log(tieredRatio);
            firstLogSum += Math.log(firstRatio);
            n++;
            table.row(p.name() + " " + size, secs(hotspot.seconds), secs(interpreted.seconds), times(interpretedRatio),
                    secs(tiered.seconds), times(tieredRatio), secs(first.seconds), times(firstRatio),
                    Integer.toString(tiered.stats.methodsTranslated()), equal ? "same" : "DIFFERENT");
            spreads.add(p.name() + " " + size + ": interpreter " + spread(interpretedRuns) + ", with the tier " + spread(tieredRuns));
        }
        StartUp startUp = quick ? StartUp.SKIPPED : startUp(work);
        out.println("device VM, all lines resident, vs java -Xint (output compared with HotSpot's; device times: the median of "
                + RUNS + " runs after warming up, the VM's boot included)");
        table.print(out);
        out.printf(Locale.ROOT, "geometric means: the interpreter %.2fx -Xint (target: <= 1.5x); with the tier %.2fx -Xint"
                + " (target: <= 1.0x); the tier's first runs %.2fx%n", Math.exp(interpretedLogSum / n),
                Math.exp(tieredLogSum / n), Math.exp(firstLogSum / n));
        out.println("first run: the program's first run with the tier in this process, its methods translated and compiled"
                + " by the host JIT as it runs (the JDK's translations shared with the programs before it); the others"
                + " reuse its translations, compiled (the code cache, ParsedClasses.hostClasses)");
        out.println("spread (fastest-slowest):");
        for (String line : spreads) {
            out.println("  " + line);
        }
        out.println();
        startUp.print(out);
        out.flush();
        return allEqual && startUp.same() ? 0 : 1;
    }

    /** A hello world, for the start-up row. */
    static final String HELLO = """
            public class Hello {
                public static void main(String[] args) {
                    System.out.println("hello world");
                }
            }
            """;

    /** The start-up row: hello world as a whole process, {@code ./vheap device run} against {@code java -Xint}. */
    private record StartUp(List<Run> device, List<Run> hotspot, boolean same) {
        /** With {@code --quick}: a smoke run starts no process of the launcher (which may build first). */
        static final StartUp SKIPPED = new StartUp(List.of(), List.of(), true);

        void print(PrintWriter out) {
            if (device.isEmpty()) {
                out.println("start-up: not measured with --quick");
                return;
            }
            double d = median(device).seconds;
            double h = median(hotspot).seconds;
            TextTable table = new TextTable("start-up", "java -Xint", "device VM", "ratio", "spread", "output");
            table.row("hello world, whole process", secs(h), secs(d), times(d / h), spread(hotspot) + " / " + spread(device),
                    same ? "same" : "DIFFERENT");
            table.print(out);
            out.println("whole process: ./vheap device run --store memory (a JVM, the device, the VM's boot of the JDK's library)"
                    + " against java -Xint, the median of " + RUNS + " runs each in turn (spread: java -Xint / device;"
                    + " target: <= 5x)");
        }
    }

    /** Runs hello world {@link #RUNS} times each as a process: on a device through the launcher, and on java -Xint. */
    private StartUp startUp(Path work) throws IOException, InterruptedException {
        Path dir = compileHello(work);
        String launcher = VheapHome.locate(VmBench.class).launcher().toString();
        List<Run> device = new ArrayList<>();
        List<Run> hotspot = new ArrayList<>();
        for (int i = 0; i <= RUNS; i++) {
            Run d = process(List.of(launcher, "device", "run", "--store", "memory", "--app", "bench-hello", dir.toString(), "Hello"));
            Run h = hotspot(dir, "Hello");
            if (i == 0) {
                continue;   // the first pair warms the disk cache (and builds the launcher's classes if needed)
            }
            device.add(d);
            hotspot.add(h);
        }
        return new StartUp(device, hotspot, sameOutput(hotspot.get(0), hotspot, device));
    }

    /** {@link #HELLO} compiled into {@code work/hello} (class {@code Hello}); returns that directory. */
    static Path compileHello(Path work) throws IOException {
        Path dir = work.resolve("hello");
        Files.createDirectories(dir);
        Path source = dir.resolve("Hello.java");
        Files.writeString(source, HELLO);
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        if (ToolProvider.getSystemJavaCompiler().run(null, diag, diag, "--release", "17", "-d", dir.toString(),
                source.toString()) != 0) {
            throw new IllegalStateException("compiling hello world failed: " + diag);
        }
        return dir;
    }

    /** A child process's time and output (stdout and stderr). */
    private static Run process(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Run((System.nanoTime() - start) / 1e9, new String(output, StandardCharsets.UTF_8), null);
    }

    /** The programs {@code --only} selects (all without it); refused when it names none of them. */
    private List<Program> selected() {
        List<Program> programs = PROGRAMS.stream().filter(p -> only == null || only.contains(p.name())).toList();
        if (programs.isEmpty()) {
            throw new IllegalArgumentException("no program selected; names: binary-trees, n-body, fannkuch-redux, spectral-norm,"
                    + " collections");
        }
        return programs;
    }

    /** Untimed runs of one configuration that {@link #warmUp} makes at most. */
    static final int MAX_WARM_UP_RUNS = 5;

    /**
     * Runs a configuration until a run is no more than a tenth faster than the one before (the host JIT has compiled
     * its paths), at most {@link #MAX_WARM_UP_RUNS} times; returns the first run (the others are not reported).
     */
    private static Run warmUp(Callable<Run> configuration) throws Exception {
        Run first = configuration.call();
        double before = first.seconds();
        for (int i = 1; i < MAX_WARM_UP_RUNS; i++) {
            double now = configuration.call().seconds();
            if (now > 0.9 * before) {
                break;
            }
            before = now;
        }
        return first;
    }

    /**
     * The fragmenting sample at a tenth of its peak heap on the in-memory store, compaction off and on: a row of the
     * compaction table; false when an output differs from HotSpot's.
     */
    private boolean fragmentingRow(TextTable table, Path classes, String size) throws IOException, InterruptedException {
        String main = FRAGMENTING.mainClass();
        Run hotspot = hotspot(classes, main, size);
        Run warm = deviceRun(classes, main, size, 256L << 20, config -> config.nurseryBytes(0));
        long tenth = Math.max(DeviceConfig.MIN_FRAMES * 4096L, warm.stats.peakHeapBytes() / 10);
        Run off = deviceRun(classes, main, size, tenth, config -> config.compaction(false));
        Run on = deviceRun(classes, main, size, tenth);
        compactionRow(table, FRAGMENTING.name() + " " + size, "in-memory", tenth, off, on);
        return hotspot.output.equals(off.output) && hotspot.output.equals(on.output);
    }

    /** A row of the compaction table: a run without compaction and one with it, side by side. */
    private static void compactionRow(TextTable table, String program, String store, long memory, Run off, Run on) {
        DeviceStats a = off.stats;
        DeviceStats b = on.stats;
        table.row(program, store, kib(memory), secs(off.seconds), secs(on.seconds), Long.toString(a.misses()),
                Long.toString(b.misses()), Long.toString(a.linesFetched()), Long.toString(b.linesFetched()),
                Long.toString(a.linesFlushed() + a.linesPreflushed()), Long.toString(b.linesFlushed() + b.linesPreflushed()),
                Long.toString(b.collectionPauseNanos().length), Long.toString(b.bytesCompacted() >> 10));
    }

    /** Whether every run printed what HotSpot printed. */
    @SafeVarargs
    private static boolean sameOutput(Run hotspot, List<Run>... runs) {
        boolean same = true;
        for (List<Run> list : runs) {
            for (Run r : list) {
                same &= hotspot.output.equals(r.output);
            }
        }
        return same;
    }

    private static Run best(Run a, Run b) {
        return a.seconds <= b.seconds ? a : b;
    }

    /** The run of median time. */
    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Run::seconds));
        return sorted.get(sorted.size() / 2);
    }

    /** "fastest-slowest s" of these runs. */
    private static String spread(List<Run> runs) {
        double min = runs.stream().mapToDouble(Run::seconds).min().orElse(0);
        double max = runs.stream().mapToDouble(Run::seconds).max().orElse(0);
        return String.format(Locale.ROOT, "%.2f-%.2f s", min, max);
    }

    /** The benchmark samples compiled into {@code out}. */
    private Path compile(Path out) throws IOException {
        if (!Files.isDirectory(samples)) {
            throw new IllegalArgumentException("no samples directory at " + samples.toAbsolutePath() + " (give --samples DIR)");
        }
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        for (Program p : PROGRAMS) {
            args.add(samples.resolve(p.mainClass() + ".java").toString());
        }
        args.add(samples.resolve(FRAGMENTING.mainClass() + ".java").toString());
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        if (ToolProvider.getSystemJavaCompiler().run(null, diag, diag, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("compiling the samples failed: " + diag);
        }
        return out;
    }

    private static Run hotspot(Path classes, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xint", "-cp", classes.toString(), mainClass));
        command.addAll(List.of(args));
        return process(command);
    }

    private Run deviceRun(Path classes, String mainClass, String size, long memory) {
        return deviceRun(classes, mainClass, size, memory, DEFAULTS);
    }

    private Run deviceRun(Path classes, String mainClass, String size, long memory, UnaryOperator<DeviceConfig> tweak) {
        return deviceRun(parsed, classes, mainClass, size, memory, tweak);
    }

    /** A run on the in-memory store with the code cache {@code codeCache}. */
    private Run deviceRun(ParsedClasses codeCache, Path classes, String mainClass, String size, long memory,
                          UnaryOperator<DeviceConfig> tweak) {
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            return deviceRun(store, "bench-" + mainClass, codeCache, classes, mainClass, size, memory, tweak);
        }
    }

    /** A run on the heap server, as an app of its own deleted afterwards. */
    private Run deviceRun(HeapStore store, Path classes, String mainClass, String size, long memory) throws InterruptedException {
        return deviceRun(store, classes, mainClass, size, memory, DEFAULTS);
    }

    /** A run on the heap server with the device's settings changed by {@code tweak}. */
    private Run deviceRun(HeapStore store, Path classes, String mainClass, String size, long memory,
                          UnaryOperator<DeviceConfig> tweak) throws InterruptedException {
        String app = "bench-vm-" + mainClass.toLowerCase(Locale.ROOT) + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            return deviceRun(store, app, parsed, classes, mainClass, size, memory, tweak);
        } finally {
            ResumeBench.deleteApp(server, app);
        }
    }

    private Run deviceRun(HeapStore store, String app, ParsedClasses codeCache, Path classes, String mainClass, String size,
                          long memory, UnaryOperator<DeviceConfig> tweak) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        DeviceConfig config = tweak.apply(new DeviceConfig().app(app).deviceName("bench").memoryBytes(memory)
                .maxHeapBytes(1L << 30).checkpointInterval(CHECKPOINTS));
        Device device = new Device(config, store, new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps), codeCache);
        long start = System.nanoTime();
        device.run(List.of(classes), mainClass, List.of(size));
        return new Run((System.nanoTime() - start) / 1e9, buffer.toString(StandardCharsets.UTF_8), device.stats());
    }

    /** "p50/max ms" of the collections' pauses, or "-" without a collection. */
    private static String pauses(long[] nanos) {
        if (nanos.length == 0) {
            return "-";
        }
        LatencySamples samples = samples(nanos);
        return String.format(Locale.ROOT, "%.1f/%.1f ms", samples.percentile(50) / 1e6, samples.percentile(100) / 1e6);
    }

    private static LatencySamples samples(long[] values) {
        LatencySamples samples = new LatencySamples(values.length);
        for (long v : values) {
            samples.add(v);
        }
        return samples;
    }

    /** A row of {@code table} per kind of collection in {@code log}. */
    private static void collectionRows(TextTable table, String program, CollectionLog log) {
        for (CollectionLog.Kind kind : CollectionLog.Kind.values()) {
            List<CollectionLog.Entry> entries = log.entries().stream().filter(e -> e.kind() == kind).toList();
            if (entries.isEmpty()) {
                continue;
            }
            long over = entries.stream().filter(e -> e.faultBound() >= 0 && e.linesFaulted() > e.faultBound()).count();
            table.row(program, kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), Long.toString(log.count(kind)),
                    pauses(entries.stream().mapToLong(CollectionLog.Entry::pauseNanos).toArray()),
                    p50max(entries.stream().mapToLong(CollectionLog.Entry::linesTouched).toArray()),
                    p50max(entries.stream().mapToLong(CollectionLog.Entry::linesFaulted).toArray()),
                    Long.toString(faultedInAll(log, kind)), kind == CollectionLog.Kind.WORKING_SET ? Long.toString(over) : "-");
        }
    }

    /** Lines the collections of {@code kind} (null: every kind) faulted in, in all. */
    private static long faultedInAll(CollectionLog log, CollectionLog.Kind kind) {
        return log.entries().stream().filter(e -> kind == null || e.kind() == kind).mapToLong(CollectionLog.Entry::linesFaulted).sum();
    }

    /** "p50/max" of these counts. */
    private static String p50max(long[] values) {
        LatencySamples samples = samples(values);
        return samples.percentile(50) + "/" + samples.percentile(100);
    }

    /** "N.Nx" for how many times fewer {@code on} is than {@code off} ("-" when both are 0). */
    private static String fewer(long off, long on) {
        return off == 0 && on == 0 ? "-" : String.format(Locale.ROOT, "%.1fx", off / (double) Math.max(1, on));
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String times(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }

    private static String kib(long bytes) {
        return (bytes >> 10) + " KiB";
    }
}
