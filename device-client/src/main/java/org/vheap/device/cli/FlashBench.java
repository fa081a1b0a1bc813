package org.vheap.device.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vheap.bench.BenchRun;
import org.vheap.cli.CliValues;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceEvents;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.flash.FlashHeapStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.device.store.flash.FlashStoreStats;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vheap bench flash}: what the flash store ({@code --store flash:DIR}) writes, set against what the app changed,
 * side by side in one run.
 *
 * <p><b>An app on a device.</b> A ledger app on a device with a tenth of its heap in memory (so lines are evicted and
 * flushed between checkpoints) updates random accounts and checkpoints after every batch, on two stores: one writing
 * changed lines and VM states as patches (the default), one writing them whole. Each runs (after an unmeasured
 * warm-up run) until its store cleaned twice; the figures are those of the cycle between the two cleaning passes, the
 * second's copy included: the bytes written to the flash per checkpoint (records, framing, padding, the copy) against
 * the bytes the app changed in what it wrote (8-byte words that differ from the version before: about the fields it
 * wrote; and the exact bytes), and a checkpoint's median time.
 *
 * <p><b>Write amplification as the flash fills.</b> A store of {@link #FLASH_SIZE} bytes holds lines taking a given
 * share of it (three checkpoints retained), then commits rounds that each change two words in each of
 * {@link #LINES_PER_ROUND} random lines, until it wrote {@link #FLASH_SIZES_WRITTEN} times the flash size: bytes
 * written (the cleaner's passes included) over the bytes changed. The segment cleaner needs only the room of what a
 * pass moves beside the log; where even so the store fills up and refuses, the bench says after how many rounds.
 *
 * <p><b>Flash in front of the server.</b> {@link FlashFrontedBench}: the BigData sample at a tenth of its live size,
 * over a heap server alone and with the flash in front of it.
 *
 * <p>Set-up and clean-up are the benches' harness ({@link BenchRun}). Not a test: read the figures.
 */
@Command(name = "bench-flash", mixinStandardHelpOptions = true,
        description = "Bytes the flash store writes per checkpoint against the bytes the app changed, patches vs whole lines,"
                + " write amplification as the flash fills, and a sample with the flash in front of a heap server vs the server"
                + " alone.")
public final class FlashBench implements Callable<Integer> {
    private static final String APP = """
            import org.vheap.api.Checkpoint;
            public class Ledger {
                static final class Account {
                    long id; long balance; long updates; String owner;
                    Account(long id) { this.id = id; this.owner = "owner-" + id; }
                }
                public static void main(String[] a) throws Exception {
                    int accounts = Integer.parseInt(a[0]);
                    int checkpoints = Integer.parseInt(a[1]);
                    int updates = Integer.parseInt(a[2]);
                    Account[] all = new Account[accounts];
                    for (int i = 0; i < accounts; i++) all[i] = new Account(i);
                    Checkpoint.now();
                    System.out.println("ready");
                    long seed = 42;
                    for (int c = 1; c <= checkpoints; c++) {
                        for (int k = 0; k < updates; k++) {
                            seed = seed * 6364136223846793005L + 1442695040888963407L;
                            Account x = all[(int) ((seed >>> 33) % accounts)];
                            x.balance += (seed >>> 40) & 0xFFFF;
                            x.updates++;
                            if ((k & 15) == 0) x.owner = "owner-" + x.id + "-" + c;  // a new string, the old one garbage
                        }
                        long t = System.nanoTime();
                        Checkpoint.now();
                        System.out.println("checkpoint " + c + " " + (System.nanoTime() - t));
                    }
                }
            }
            """;
    /** The flash size of the fill rows. */
    static final long FLASH_SIZE = 16L << 20;
    /** Lines changed per round of the fill rows. */
    static final int LINES_PER_ROUND = 256;
    /** A fill row writes this many times the flash size (the cleaner at work), or fewer when the store fills up. */
    static final int FLASH_SIZES_WRITTEN = 2;
    private static final int FILL_LINE = 4096;
    /** Checkpoints of the unmeasured warm-up run. */
    private static final int WARM_UP_CHECKPOINTS = 30;
    private static final Pattern CHECKPOINT = Pattern.compile("(?m)^checkpoint (\\d+) (\\d+)$");

    @Option(names = "--accounts", defaultValue = "20000", description = "Accounts of the app (about 100 bytes of heap each). Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--max-checkpoints", defaultValue = "3000", description = "The most checkpoints an app run takes to"
            + " see its cleaning cycle. Default: ${DEFAULT-VALUE}.")
    int maxCheckpoints;

    @Option(names = "--updates", defaultValue = "300", description = "Accounts updated between two checkpoints. Default: ${DEFAULT-VALUE}.")
    int updates;

    @Option(names = "--rounds", defaultValue = "20000", description = "The most rounds of a fill row (each goes on until it wrote "
            + FLASH_SIZES_WRITTEN + "x the flash size). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "For the last table, a running heap server"
            + " (default: start one here on a temporary database).")
    String server;

    @Option(names = "--big-data-mib", defaultValue = "8", description = "The last table's BigData sample: its live MiB"
            + " (0: leave the table out). Default: ${DEFAULT-VALUE}.")
    int bigDataMib;

    @Option(names = "--fronted-runs", defaultValue = "3", description = "The last table's measured runs of each side."
            + " Default: ${DEFAULT-VALUE}.")
    int frontedRuns;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CliValues.range("--accounts", accounts, 1000, 10_000_000);
        CliValues.range("--max-checkpoints", maxCheckpoints, 10, 1_000_000);
        CliValues.range("--updates", updates, 1, 10_000_000);
        CliValues.range("--rounds", rounds, 1, 100_000);
        CliValues.range("--big-data-mib", bigDataMib, 0, 1024);
        CliValues.range("--fronted-runs", frontedRuns, 1, 50);
        if (server != null) {
            CliValues.hostPort("--server", server);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BenchRun run = new BenchRun("bench flash", spec.commandLine().getErr(), System::nanoTime).closeOnInterrupt()) {
            VheapHome home = VheapHome.locate(FlashBench.class);
            Path work = run.tempDir("vheap-bench-flash-");
            Path api = BenchApps.apiClasses(home);
            List<Path> cp = List.of(BenchApps.compile(work, "Ledger", APP, api), api);
            long heap = 100L * accounts;
            out.printf(Locale.ROOT, "a ledger app of %d accounts (about %s of heap) on a device with %s of memory, a"
                    + " checkpoint after each %d accounts updated; measured over one cleaning cycle (from the end of the"
                    + " store's first cleaning pass to the end of its second)%n", accounts, kib(heap), kib(memory(heap)), updates);
            out.flush();
            TextTable app = new TextTable("store", "checkpoints", "written per checkpoint", "of which copies",
                    "changed (words)", "written / changed", "changed (bytes)", "lines whole / patched / unchanged",
                    "checkpoint median");
            run.progress("warming up: the app on a flash store, unmeasured (the host JIT compiles the VM)");
            runApp(work.resolve("flash-warm-up"), cp, heap, true, Math.min(maxCheckpoints, WARM_UP_CHECKPOINTS));
            for (boolean patches : new boolean[] {true, false}) {
                String name = patches ? "patches (default)" : "whole lines";
                run.progress("running the app on a flash store writing " + name);
                AppRun r = runApp(work.resolve(patches ? "flash-patches" : "flash-whole"), cp, heap, patches, maxCheckpoints);
                FlashStoreStats s = r.stats();
                int n = r.checkpoints();
                app.row(name, n + (r.cycle() ? "" : " (no cleaning cycle: copies left out)"), kib(s.bytesWritten() / n), kib(s.bytesCopied() / n), kib(s.wordBytesChanged() / n),
                        ratio(s.bytesWritten(), s.wordBytesChanged()) + (patches ? " (target <= 2x)" : ""),
                        kib(s.bytesChanged() / n), s.linesWhole() + " / " + s.linesPatched() + " / " + s.linesUnchanged(),
                        ResumeBench.ms(r.checkpointMedianNanos()));
            }
            app.print(out);
            out.println("written: bytes appended to the flash logs, framing, padding and the cleaner's copies included;"
                    + " changed: the bytes of the 8-byte words (and the bytes) of the lines and VM states written that differ"
                    + " from their versions before. No --flash-size: the log is cleaned at " + FlashHeapStore.GROWTH
                    + "x what is live (the segments at most 2/3 live)");
            out.println();
            out.printf(Locale.ROOT, "write amplification as the flash fills: a %s flash store, %d-byte lines, 3 checkpoints"
                    + " retained; rounds of 2 words changed in %d random lines, each a checkpoint, until %dx the flash size"
                    + " was written (at most %d rounds)%n", kib(FLASH_SIZE), FILL_LINE, LINES_PER_ROUND, FLASH_SIZES_WRITTEN,
                    rounds);
            TextTable fill = new TextTable("live share of the flash", "written / changed", "cleanings", "lines whole / patched",
                    "rounds done", "checkpoint median", "checkpoint max", "with a pass: median");
            for (int percent : new int[] {25, 40, 50, 80}) {
                run.progress("filling a flash store to " + percent + " %");
                FillRow r = fillRow(work.resolve("fill-" + percent), percent);
                fill.row(percent + " %", r.ratio(), r.cleanings(), r.lines(), r.rounds(), r.median(), r.max(), r.withPass());
            }
            fill.print(out);
            out.println("live share: the lines' bytes over the flash size (their records, framing and retained versions take"
                    + " more); the cleaner frees segments of a 32nd of the flash size, least live first, inside the"
                    + " checkpoint that needs the room: 'with a pass', the checkpoints that ran one (the pause a pass adds)");
            out.println();
            out.flush();
            if (bigDataMib > 0) {
                new FlashFrontedBench(run, out, home, work).table(server, bigDataMib, frontedRuns);
            }
            return 0;
        }
    }

    /**
     * One app run's figures over one cleaning cycle (from the end of its first cleaning pass to the end of its
     * second: what the store writes in the long run, the cleaner included): the store's stats, the checkpoints, and
     * their median time.
     */
    private record AppRun(FlashStoreStats stats, int checkpoints, long checkpointMedianNanos, boolean cycle) {
    }

    /**
     * Runs the app on a flash store in {@code dir} until two cleaning passes are done (or {@code limit} checkpoints),
     * then stops it; the figures are those between the two (without them: from the app's heap built on).
     */
    private AppRun runApp(Path dir, List<Path> cp, long heap, boolean patches, int limit) throws Exception {
        try (FlashHeapStore store = FlashHeapStore.open(dir, new FlashStoreConfig().patches(patches), Clock.systemUTC())) {
            DeviceConfig config = new DeviceConfig().app("ledger").deviceName("bench-flash").memoryBytes(memory(heap))
                    .checkpointInterval(Duration.ZERO);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Device device = new Device(config, store, BenchApps.console(output), new ParsedClasses(), DeviceEvents.none());
            CompletableFuture<Integer> ran = CompletableFuture.supplyAsync(() -> device.run(cp, "Ledger",
                    List.of(Integer.toString(accounts), Integer.toString(limit), Integer.toString(updates))));
            BenchApps.await(output, "ready", 1, ran);
            FlashStoreStats ready = store.stats();
            FlashStoreStats first = null;
            int firstAt = 0;
            int seen = 0;
            while (seen < limit && store.stats().cleanings() < 2) {
                BenchApps.await(output, "checkpoint ", seen + 1, ran);
                seen++;
                if (first == null && store.stats().cleanings() == 1) {
                    first = store.stats();
                    firstAt = seen;
                }
            }
            FlashStoreStats last = store.stats();
            device.stop();
            ran.get();
            boolean cycle = last.cleanings() >= 2 && first != null && firstAt < seen;   // not both in one poll
            if (!cycle) {   // from the app's heap built on, without a cleaning's copies
                first = ready;
                firstAt = 0;
            }
            List<Long> times = new ArrayList<>();
            Matcher m = CHECKPOINT.matcher(output.toString(StandardCharsets.UTF_8));
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (n > firstAt && n <= seen) {
                    times.add(Long.parseLong(m.group(2)));
                }
            }
            return new AppRun(minus(last, first), seen - firstAt, times.stream().sorted().toList().get(times.size() / 2), cycle);
        }
    }

    /** One fill row: write amplification, cleanings and rounds done (fewer than asked: the store was full). */
    private record FillRow(String ratio, long cleanings, String lines, String rounds, String median, String max,
                           String withPass) {
    }

    private FillRow fillRow(Path dir, int percent) throws Exception {
        Random random = new Random(percent);
        int lines = (int) (FLASH_SIZE * percent / 100 / FILL_LINE);
        try (FlashHeapStore store = FlashHeapStore.open(dir, new FlashStoreConfig().blockSize(16 << 10)
                .flashSize(FLASH_SIZE), Clock.systemUTC());
             HeapSession s = store.openHeap(OpenRequest.create("fill", "bench", FILL_LINE))) {
            byte[][] content = new byte[lines][FILL_LINE];
            List<LineImage> all = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                random.nextBytes(content[i]);
                all.add(new LineImage(i, content[i].clone()));
            }
            s.commit(all, new long[0], new byte[0], Map.of());
            FlashStoreStats before = store.stats();
            int done = 0;
            boolean full = false;
            List<Long> plain = new ArrayList<>();
            List<Long> cleaning = new ArrayList<>();
            try {
                for (; done < rounds && store.stats().bytesWritten() - before.bytesWritten() < FLASH_SIZES_WRITTEN * FLASH_SIZE;
                     done++) {
                    List<LineImage> changed = new ArrayList<>();
                    for (int k = 0; k < LINES_PER_ROUND; k++) {
                        int line = random.nextInt(lines);
                        if (changed.stream().anyMatch(l -> l.lineId() == line)) {
                            continue;
                        }
                        for (int w = 0; w < 2; w++) {
                            content[line][8 * random.nextInt(FILL_LINE / 8)] ^= (byte) (1 + random.nextInt(255));
                        }
                        changed.add(new LineImage(line, content[line].clone()));
                    }
                    long cleanings = store.stats().cleanings();
                    long t0 = System.nanoTime();
                    s.commit(changed, new long[0], new byte[0], Map.of());
                    long took = System.nanoTime() - t0;
                    (store.stats().cleanings() == cleanings ? plain : cleaning).add(took);
                }
            } catch (StoreException refused) {
                if (refused.reason() != StoreException.Reason.UNAVAILABLE) {
                    throw refused;
                }
                full = true;
            }
            FlashStoreStats st = minus(store.stats(), before);
            List<Long> times = new ArrayList<>(plain);
            times.addAll(cleaning);
            return new FillRow(st.wordBytesChanged() == 0 ? "-" : ratio(st.bytesWritten(), st.wordBytesChanged()),
                    st.cleanings(), st.linesWhole() + " / " + st.linesPatched(),
                    full ? done + " (then full: refused)" : Integer.toString(done), ResumeBench.ms(median(times)),
                    times.isEmpty() ? "-" : ResumeBench.ms(Collections.max(times)),
                    cleaning.isEmpty() ? "-" : ResumeBench.ms(median(cleaning)));
        }
    }

    private static long median(List<Long> nanos) {
        return nanos.isEmpty() ? 0 : ResumeBench.median(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    /** The device's memory for an app of {@code heap} bytes: a tenth of it, at least 16 lines. */
    private static long memory(long heap) {
        return Math.max(heap / 10, 16L * new DeviceConfig().lineSize());
    }

    private static FlashStoreStats minus(FlashStoreStats a, FlashStoreStats b) {
        return new FlashStoreStats(a.bytesWritten() - b.bytesWritten(), a.bytesCopied() - b.bytesCopied(),
                a.cleanings() - b.cleanings(), a.linesWhole() - b.linesWhole(), a.linesPatched() - b.linesPatched(),
                a.linesUnchanged() - b.linesUnchanged(), a.bytesChanged() - b.bytesChanged(),
                a.wordBytesChanged() - b.wordBytesChanged(), a.vmStateBytes() - b.vmStateBytes());
    }

    private static String ratio(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", (double) part / whole);
    }

    static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
