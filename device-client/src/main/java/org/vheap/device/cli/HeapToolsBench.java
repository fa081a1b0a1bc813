package org.vheap.device.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.vheap.bench.BenchRun;
import org.vheap.cli.CliValues;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.client.HeapImageTransfer;
import org.vheap.client.VheapHeaders;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.CollectHeapRequest;
import org.vheap.proto.v1.CollectHeapResponse;
import org.vheap.proto.v1.CollectedHeap;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapStoreGrpc;
import org.vheap.proto.v1.HistogramQuery;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.proto.v1.InspectHeapRequest;
import org.vheap.proto.v1.InspectHeapResponse;
import org.vheap.proto.v1.ReadLinesRequest;
import org.vheap.proto.v1.ReadLinesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./vheap bench heap-tools}: the heap tools on a real heap. The BigData sample (samples/BigData.java) runs on a
 * device over a heap server on loopback until it has built its data, and is suspended there (a checkpoint of the whole
 * heap); then, taking turns, the checkpoint's lines are streamed to the client as a resume streams them (ReadLines),
 * exported to a heap image file (ExportHeap, written to disk), that file imported under a new name (ImportHeap), and
 * the copy's class histogram asked twice (InspectHeap: the first reads the checkpoint whole and walks it, the second
 * finds it kept) and then with retained sizes (the dominator tree of the kept walk): each one's median time and its
 * rate over the checkpoint's bytes, against the streaming. Last, the checkpoint is collected and compacted (gc
 * --compact) and the app resumed from each, on a device holding an eighth of its heap: the lines it faults in until
 * it has walked its data a few times; the same for the ScatteredCache sample, whose surviving quarter lies scattered
 * among dead entries.
 * Not a test: read the figures.
 */
@Command(name = "bench-heap-tools", mixinStandardHelpOptions = true,
        description = "Export and import of a heap image and a class histogram, measured against streaming the same"
                + " checkpoint's lines, on the BigData sample over a heap server on loopback.")
public final class HeapToolsBench implements Callable<Integer> {
    @Option(names = "--big-data-mib", defaultValue = "64", description = "The BigData sample's live MiB"
            + " (about 6,500 objects a MiB: 160 for a million). Default: ${DEFAULT-VALUE}.")
    int mib;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds (each streams, exports and imports"
            + " once), after one unmeasured. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "A running heap server (default: start one"
            + " here, embedded PostgreSQL in a temporary directory).")
    String server;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Walks of BigData's data a resume runs for, to count its faults. */
    private static final int WALKS = 3;

    private record Round(long streamNanos, long exportNanos, long importNanos, long fileBytes, long histogramNanos,
                         long keptHistogramNanos, long retainedNanos, long objects) {
    }

    @Override
    public Integer call() throws Exception {
        CliValues.range("--big-data-mib", mib, 1, 1024);
        CliValues.range("--rounds", rounds, 1, 50);
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BenchRun run = new BenchRun("bench heap-tools", spec.commandLine().getErr(), System::nanoTime)
                .closeOnInterrupt()) {
            VheapHome home = VheapHome.locate(HeapToolsBench.class);
            Path work = run.tempDir("vheap-bench-heap-tools-");
            String target = BenchApps.serverOrChild(run, home, work, server);
            String app = "bench-heap-tools-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            String store = target;
            run.atEnd("delete app " + app, interrupted -> ResumeBench.deleteApp(store, app));
            run.progress("running BigData (" + mib + " MiB) on a device until it has built its data, then suspending it");
            CheckpointInfo cp = suspendedSample(home, work, target, app, "BigData");
            long heapBytes = cp.getSizeBytes();
            out.printf(Locale.ROOT, "the BigData sample (%d MiB live) suspended after building its data: checkpoint %d,"
                    + " %d lines, %s of heap, over the heap server on %s (loopback gRPC); %d rounds after one unmeasured,"
                    + " each streaming, exporting and importing in turn%n", mib, cp.getCheckpointId(), cp.getLineCount(),
                    ResumeBench.mib(heapBytes), target, rounds);
            out.flush();
            List<Round> measured = new ArrayList<>();
            ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20)
                    .build();
            try {
                for (int round = -1; round < rounds; round++) {
                    run.progress((round < 0 ? "warming up" : "round " + (round + 1) + " of " + rounds)
                            + ": streaming, exporting, importing");
                    Round r = round(run, channel, work, app, cp, round);
                    if (round >= 0) {
                        measured.add(r);
                    }
                }
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            long stream = ResumeBench.median(measured.stream().mapToLong(Round::streamNanos).toArray());
            long export = ResumeBench.median(measured.stream().mapToLong(Round::exportNanos).toArray());
            long imported = ResumeBench.median(measured.stream().mapToLong(Round::importNanos).toArray());
            long file = measured.get(0).fileBytes();
            TextTable t = new TextTable("what", "median", "MB/s of heap", "against streaming");
            t.row("stream the checkpoint's lines (ReadLines)", ResumeBench.ms(stream), rate(heapBytes, stream), "1.00x");
            t.row("export to a file (ExportHeap)", ResumeBench.ms(export), rate(heapBytes, export),
                    String.format(Locale.ROOT, "%.2fx the time", (double) export / stream));
            t.row("import the file (ImportHeap)", ResumeBench.ms(imported), rate(heapBytes, imported),
                    String.format(Locale.ROOT, "%.2fx the time", (double) imported / stream));
            long histogram = ResumeBench.median(measured.stream().mapToLong(Round::histogramNanos).toArray());
            long kept = ResumeBench.median(measured.stream().mapToLong(Round::keptHistogramNanos).toArray());
            t.row("class histogram, first question (InspectHeap: read whole, walk)", ResumeBench.ms(histogram),
                    rate(heapBytes, histogram), String.format(Locale.ROOT, "%.2fx the time", (double) histogram / stream));
            t.row("class histogram again (the read checkpoint kept)", ResumeBench.ms(kept), rate(heapBytes, kept),
                    String.format(Locale.ROOT, "%.2fx the time", (double) kept / stream));
            long retained = ResumeBench.median(measured.stream().mapToLong(Round::retainedNanos).toArray());
            t.row("with retained sizes (--retained: the dominator tree)", ResumeBench.ms(retained),
                    rate(heapBytes, retained), String.format(Locale.ROOT, "%.2fx the time", (double) retained / stream));
            t.print(out);
            out.printf(Locale.ROOT, "the histogram: %,d reachable objects, asked of each round's imported copy (a"
                    + " checkpoint the server had not read)%n", measured.get(0).objects());
            run.progress("collecting and compacting the checkpoint (gc --compact), then resuming each to walk the data");
            out.printf(Locale.ROOT, "BigData, %s%n", compactedFaults(target, app, cp, channelFor(target)));
            String scattered = app + "-scattered";
            run.atEnd("delete app " + scattered, interrupted -> ResumeBench.deleteApp(store, scattered));
            run.progress("running ScatteredCache (" + mib + " MiB allocated, a quarter kept scattered) and suspending it;"
                    + " gc --compact, then resuming each to walk the survivors");
            CheckpointInfo scatteredCp = suspendedSample(home, work, target, scattered, "ScatteredCache");
            out.printf(Locale.ROOT, "ScatteredCache (%d MiB allocated, a quarter of its entries kept), %s%n", mib,
                    compactedFaults(target, scattered, scatteredCp, channelFor(target)));
            out.printf(Locale.ROOT, "the image file: %s for %s of heap (%.0f %% of it: compressed, with the VM state and"
                    + " the system blobs it needs); every import a new app, in one transaction%n", ResumeBench.mib(file),
                    ResumeBench.mib(heapBytes), 100.0 * file / heapBytes);
            out.flush();
        }
        return 0;
    }

    private static ManagedChannel channelFor(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    /**
     * gc --compact of a suspended sample's checkpoint, then the lines the sample faults in resumed from it and from the
     * original until it printed {@link #WALKS} walks, on a device holding an eighth of the original's heap: the line
     * summarising both.
     */
    private static String compactedFaults(String target, String app, CheckpointInfo cp, ManagedChannel channel)
            throws Exception {
        CollectedHeap compacted;
        try {
            Iterator<CollectHeapResponse> answers = HeapStoreGrpc.newBlockingStub(channel)
                    .withInterceptors(VheapHeaders.forApp(app)).collectHeap(CollectHeapRequest.newBuilder().setApp(app)
                            .setCheckpointId(cp.getCheckpointId()).setCompact(true).build());
            CollectedHeap done = null;
            while (answers.hasNext()) {
                CollectHeapResponse r = answers.next();
                done = r.hasDone() ? r.getDone() : done;
            }
            compacted = java.util.Objects.requireNonNull(done, "no answer to gc --compact");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        long memory = Math.max(1 << 20, cp.getSizeBytes() / 8);
        long original = walkFaults(target, app, cp.getCheckpointId(), memory);
        long afterGc = walkFaults(target, app, compacted.getCheckpoint().getCheckpointId(), memory);
        return String.format(Locale.ROOT, "gc --compact: %,d lines to %,d (%,d objects moved); resumed with %s of frames"
                + " until %d walks of the data printed, the app faulted %,d lines from the original checkpoint, %,d from"
                + " the compacted one: %.2fx fewer", compacted.getLinesBefore(), compacted.getCheckpoint().getLineCount(),
                compacted.getMovedObjects(), ResumeBench.mib(memory), WALKS, original, afterGc,
                (double) original / Math.max(1, afterGc));
    }

    /**
     * Resumes a sample from {@code checkpoint} with {@code memory} bytes of frames until it has printed {@link #WALKS}
     * walks (the one it was suspended in, then whole ones), and stops it there without a checkpoint: the lines it
     * faulted in.
     */
    private static long walkFaults(String target, String app, long checkpoint, long memory) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (GrpcHeapStore store = new GrpcHeapStore(target, GrpcHeapStore.DEFAULT_DEADLINE)) {
            Device device = new Device(new DeviceConfig().app(app).deviceName("bench-heap-tools-walk")
                    .memoryBytes(memory).checkpointInterval(Duration.ZERO), store, BenchApps.console(output));
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> device.resume(checkpoint));
            BenchApps.await(output, "walk ", WALKS, running);
            device.stop();
            running.get(5, TimeUnit.MINUTES);
            return device.stats().misses();
        }
    }

    /**
     * Runs a sample that builds its data and then walks it ({@code samples/BigData.java}, {@code ScatteredCache.java})
     * until it has built it, and suspends it: the checkpoint it left.
     */
    private CheckpointInfo suspendedSample(VheapHome home, Path work, String target, String app, String sample)
            throws Exception {
        Path source = home.resolve("samples/" + sample + ".java");
        Path classes = BenchApps.compile(work.resolve(sample), sample, Files.readString(source),
                BenchApps.apiClasses(home));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (GrpcHeapStore store = new GrpcHeapStore(target, GrpcHeapStore.DEFAULT_DEADLINE)) {
            Device device = new Device(new DeviceConfig().app(app).deviceName("bench-heap-tools")
                    .memoryBytes((mib + 16L) << 20)   // its whole heap: the bench measures the tools, not paging
                    .checkpointInterval(Duration.ZERO), store, BenchApps.console(output));
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> device.run(List.of(classes),
                    sample, List.of(Integer.toString(mib), "1000")));
            BenchApps.await(output, "built ", 1, running);
            device.suspend(Duration.ofMinutes(5));
            int exit = running.get(5, TimeUnit.MINUTES);
            if (exit != Device.SUSPENDED) {
                throw new IllegalStateException(sample + " was not suspended (exit " + exit + "): " + output);
            }
        }
        ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            return HeapStoreGrpc.newBlockingStub(channel).withInterceptors(VheapHeaders.forApp(app))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getCheckpoint(GetCheckpointRequest.newBuilder().setApp(app).build()).getCheckpoint();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Round round(BenchRun run, ManagedChannel channel, Path work, String app, CheckpointInfo cp, int round)
            throws Exception {
        long start = System.nanoTime();
        Iterator<ReadLinesResponse> lines = HeapStoreGrpc.newBlockingStub(channel).withInterceptors(VheapHeaders.forApp(app))
                .readLines(ReadLinesRequest.newBuilder().setApp(app).setCheckpointId(cp.getCheckpointId()).build());
        long count = 0;
        while (lines.hasNext()) {
            count += lines.next().getLinesCount();
        }
        long stream = System.nanoTime() - start;
        if (count != cp.getLineCount()) {
            throw new IllegalStateException("streamed " + count + " lines of a checkpoint of " + cp.getLineCount());
        }
        Path file = work.resolve("image-" + (round + 1) + ".vheap");
        start = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            HeapImageTransfer.export(channel, app, cp.getCheckpointId(), out, p -> { });
        }
        long export = System.nanoTime() - start;
        String copy = app + "-copy-" + (round + 1);
        run.atEnd("delete app " + copy, interrupted -> ResumeBench.deleteApp(channel.authority(), copy));
        start = System.nanoTime();
        ImportedHeap made;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            made = HeapImageTransfer.importFile(channel, copy, false, in, p -> { });
        }
        long imported = System.nanoTime() - start;
        if (made.getCheckpoint().getLineCount() != cp.getLineCount()) {
            throw new IllegalStateException("imported " + made.getCheckpoint().getLineCount() + " lines of "
                    + cp.getLineCount());
        }
        long bytes = Files.size(file);
        Files.delete(file);
        start = System.nanoTime();
        long objects = histogram(channel, copy).getObjects();
        long histogram = System.nanoTime() - start;
        start = System.nanoTime();
        long again = histogram(channel, copy).getObjects();
        long kept = System.nanoTime() - start;
        start = System.nanoTime();
        HeapInspection withRetained = histogram(channel, copy, true);
        long retained = System.nanoTime() - start;
        if (objects != again || objects == 0 || withRetained.getHistogram(0).getRetainedBytes() <= 0) {
            throw new IllegalStateException("histograms of " + objects + " and " + again + " objects");
        }
        return new Round(stream, export, imported, bytes, histogram, kept, retained, objects);
    }

    private static HeapInspection histogram(ManagedChannel channel, String app) {
        return histogram(channel, app, false);
    }

    /** The class histogram of the app's newest checkpoint (InspectHeap), with retained sizes if asked. */
    private static HeapInspection histogram(ManagedChannel channel, String app, boolean retained) {
        Iterator<InspectHeapResponse> answers = HeapStoreGrpc.newBlockingStub(channel).withInterceptors(VheapHeaders.forApp(app))
                .inspectHeap(InspectHeapRequest.newBuilder().setApp(app).setHistogram(HistogramQuery.newBuilder()
                        .setRetained(retained)).build());
        while (answers.hasNext()) {
            InspectHeapResponse r = answers.next();
            if (r.hasDone()) {
                return r.getDone();
            }
        }
        throw new IllegalStateException("the server ended the inspection without an answer");
    }

    private static String rate(long bytes, long nanos) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6 / (nanos / 1e9));
    }
}
