package org.vheap.device.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.DeviceConfig;
import org.vheap.device.TestStores;
import org.vheap.device.store.HeapStore;
import org.vheap.proto.v1.AppInfo;
import org.vheap.proto.v1.ListAppsRequest;
import org.vheap.server.testing.UnreachableServer;
import picocli.CommandLine;

class DeviceCliTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine cli = DeviceCli.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void badUsageIsOneLineWithExitTwo() {
        Run noStore = cli("run", "--app", "a", ".", "Main");
        assertThat(noStore.exit()).isEqualTo(2);
        assertThat(noStore.err().strip()).isEqualTo("vheap device run: give --server HOST:PORT, --store memory or --store flash:DIR (or flash:DIR and --server: the device's flash in front of the server)");

        Run memoryAndServer = cli("run", "--app", "a", "--store", "memory", "--server", "127.0.0.1:1", ".", "Main");
        assertThat(memoryAndServer.exit()).isEqualTo(2);
        assertThat(memoryAndServer.err().strip()).isEqualTo("vheap device run: --store memory does not go with --server:"
                + " only flash:DIR does (the device's flash in front of the server)");

        Run badMemory = cli("run", "--app", "a", "--store", "memory", "--memory", "lots", ".", "Main");
        assertThat(badMemory.exit()).isEqualTo(2);
        assertThat(badMemory.err().strip()).isEqualTo("vheap device run: --memory 'lots' is not a size (e.g. 65536, 64k, 256m, 1g)");

        Run noMemory = cli("run", "--app", "a", "--store", "memory", "--memory", "0k", ".", "Main");
        assertThat(noMemory.exit()).isEqualTo(2);
        assertThat(noMemory.err().strip()).isEqualTo("vheap device run: --memory must be more than 0 bytes, got '0k'");

        Run badInterval = cli("run", "--app", "a", "--store", "memory", "--checkpoint-interval", "soon", ".", "Main");
        assertThat(badInterval.exit()).isEqualTo(2);
        assertThat(badInterval.err().strip())
                .isEqualTo("vheap device run: --checkpoint-interval 'soon' is not a duration (e.g. 500ms, 5s, 2m)");

        Run badReadAhead = cli("run", "--app", "a", "--store", "memory", "--read-ahead", "-1", ".", "Main");
        assertThat(badReadAhead.exit()).isEqualTo(2);
        assertThat(badReadAhead.err().strip()).isEqualTo("vheap device run: --read-ahead takes 0 (off) or more lines, got -1");

        Run badCrashPoint = cli("run", "--app", "a", "--store", "memory", "--crash-at", "sweep:1", ".", "Main");
        assertThat(badCrashPoint.exit()).isEqualTo(2);
        assertThat(badCrashPoint.err().strip()).startsWith("vheap device run: --crash-at takes POINT:N");

        Run badMount = cli("run", "--app", "a", "--store", "memory", "--mount", "/no/such/dir:/data", ".", "Main");
        assertThat(badMount.exit()).isEqualTo(2);
        assertThat(badMount.err().strip())
                .isEqualTo("vheap device run: mount /no/such/dir:/data: /no/such/dir is not a directory on this host");

        Run relativeMount = cli("run", "--app", "a", "--store", "memory", "--mount", ".:data", ".", "Main");
        assertThat(relativeMount.exit()).isEqualTo(2);
        assertThat(relativeMount.err().strip()).startsWith("vheap device run: a mount point must be an absolute path");

        Run noClassPath = cli("run", "--app", "a", "--store", "memory", "/no/such/dir", "Main");
        assertThat(noClassPath.exit()).isEqualTo(2);
        assertThat(noClassPath.err().strip()).isEqualTo("vheap device run: class path entry /no/such/dir does not exist");

        java.nio.file.Path neverMade = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "vheap-never-made-" + ProcessHandle.current().pid());
        Run smallFlash = cli("run", "--app", "a", "--store", "flash:" + neverMade, "--flash-size", "512k", ".", "Main");
        assertThat(smallFlash.exit()).isEqualTo(2);
        assertThat(smallFlash.err().strip()).isEqualTo("vheap device run: --flash-size must be at least 8 blocks of"
                + " --flash-block (1048576 bytes), got 512k");
        assertThat(neverMade).doesNotExist();

        Run flashSizeAlone = cli("run", "--app", "a", "--store", "memory", "--flash-size", "64m", ".", "Main");
        assertThat(flashSizeAlone.exit()).isEqualTo(2);
        assertThat(flashSizeAlone.err().strip()).isEqualTo("vheap device run: --flash-size goes with --store flash:DIR");

        Run bigSegment = cli("run", "--app", "a", "--store", "flash:" + neverMade, "--flash-size", "16m",
                "--flash-segment", "8m", ".", "Main");
        assertThat(bigSegment.exit()).isEqualTo(2);
        assertThat(bigSegment.err().strip()).isEqualTo("vheap device run: --flash-segment must be from a block (131072"
                + " bytes) to a quarter of --flash-size, got 8m");
        assertThat(neverMade).doesNotExist();

        Run missingMain = cli("run", "--app", "a", "--store", "memory");
        assertThat(missingMain.exit()).isEqualTo(2);
        assertThat(missingMain.err()).contains("Missing required parameters");
    }

    /** The options of a device started with these {@code device} arguments. */
    private static DeviceOptions options(String... args) {
        CommandLine.ParseResult parsed = DeviceCli.commandLine(args).parseArgs(args);
        Object command = parsed.subcommand().commandSpec().userObject();
        DeviceOptions options = command instanceof RunCommand r ? r.options
                : command instanceof ResumeCommand r ? r.options : ((StartCommand) command).options;
        if (options.app == null) {
            options.app = "a";
        }
        return options;
    }

    /** The checkpoint interval a device started with these {@code device} arguments uses on its store. */
    private static Duration checkpointInterval(String... args) {
        DeviceOptions options = options(args);
        DeviceConfig config = options.config();
        try (HeapStore store = options.openStore(false)) {
            return config.checkpointInterval(store);
        }
    }

    /** Write-behind is on unless {@code --no-write-behind} says otherwise, for every command that runs apps. */
    @Test
    void writeBehindIsOnByDefaultAndNoWriteBehindTurnsItOff() {
        assertThat(options("run", "--app", "a", "--store", "memory", ".", "Main").config().writeBehind()).isTrue();
        assertThat(options("run", "--app", "a", "--store", "memory", "--no-write-behind", ".", "Main").config().writeBehind())
                .isFalse();
        assertThat(options("resume", "--app", "a", "--store", "memory", "--no-write-behind").config().writeBehind()).isFalse();
        assertThat(options("start", "--store", "memory", "--no-write-behind").config().writeBehind()).isFalse();
        assertThat(options("start", "--store", "memory").config().copy().writeBehind(false).copy().writeBehind())
                .as("a copy keeps it").isFalse();
    }

    /**
     * Work is protected by default: every command that runs apps against a heap server checkpoints every 10 s
     * unless told otherwise; {@code --checkpoint-interval 0s} turns it off; the in-memory store, which keeps
     * nothing past the process, takes no periodic checkpoint unless one is asked for; {@code --help} says so.
     */
    @Test
    void aDeviceOnAServerCheckpointsEveryTenSecondsByDefaultAndTheIntervalTurnsItOff() {
        String server = "127.0.0.1:1";   // never dialled: the channel connects on the first call
        assertThat(checkpointInterval("run", "--app", "a", "--server", server, ".", "Main")).isEqualTo(Duration.ofSeconds(10));
        assertThat(checkpointInterval("resume", "--app", "a", "--server", server)).isEqualTo(Duration.ofSeconds(10));
        assertThat(checkpointInterval("start", "--server", server)).isEqualTo(Duration.ofSeconds(10));
        assertThat(checkpointInterval("run", "--app", "a", "--server", server, "--checkpoint-interval", "0s", ".", "Main"))
                .isZero();
        assertThat(checkpointInterval("start", "--server", server, "--checkpoint-interval", "0s")).isZero();
        assertThat(checkpointInterval("run", "--app", "a", "--server", server, "--checkpoint-interval", "2m", ".", "Main"))
                .isEqualTo(Duration.ofMinutes(2));

        assertThat(checkpointInterval("run", "--app", "a", "--store", "memory", ".", "Main")).as("in memory: none").isZero();
        java.nio.file.Path flash = org.vheap.server.testing.TestHeaps.tempDir("vheap-cli-flash");
        try {
            assertThat(checkpointInterval("run", "--app", "a", "--store", "flash:" + flash, ".", "Main"))
                    .as("on the device's flash store, which persists").isEqualTo(Duration.ofSeconds(10));
        } finally {
            org.vheap.server.testing.TestHeaps.deleteRecursively(flash);
        }
        assertThat(checkpointInterval("run", "--app", "a", "--store", "memory", "--checkpoint-interval", "1s", ".", "Main"))
                .as("in memory, when asked").isEqualTo(Duration.ofSeconds(1));

        for (String command : new String[] {"run", "resume", "start"}) {
            Run help = cli(command, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out().replaceAll("\\s+", " "))
                    .contains("--checkpoint-interval=DURATION")
                    .contains("(0s: off), so a crash of the device (kill -9, power loss) loses at most that much of the"
                            + " app's work. Default: 10s with --server or --store flash:DIR; off with --store memory")
                    .contains("every 10 s (--checkpoint-interval; 0s: off)");
        }
    }

    @Test
    void badUsageNamesTheCommandOnceAndPointsToItsHelp() {
        Run unknown = cli("frob");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("vheap device: Unmatched argument at index 0: 'frob' (see: ./vheap device --help)");

        Run badOption = cli("resume", "--frobnicate");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err().strip())
                .isEqualTo("vheap device resume: Unknown option: '--frobnicate' (see: ./vheap device resume --help)");
    }


    @Test
    void aDevicePointedWhereNothingListensSaysSoInOneLine() throws Exception {
        String nowhere = UnreachableServer.address();
        Run run = cli("run", "--app", "a", "--server", nowhere, ".", "Main");
        assertThat(run.err()).isEqualTo("vheap device run: the heap store failed: open app 'a' failed: UNAVAILABLE: "
                + UnreachableServer.nothingAnswers(nowhere) + System.lineSeparator());
        assertThat(run.exit()).isEqualTo(1);

        Run resume = cli("resume", "--app", "a", "--server", nowhere);
        assertThat(resume.err()).isEqualTo("vheap device resume: the heap store failed: open app 'a' failed: UNAVAILABLE: "
                + UnreachableServer.nothingAnswers(nowhere) + System.lineSeparator());
        assertThat(resume.exit()).isEqualTo(1);
    }

    @Test
    void aStartedDeviceWhoseServerIsNotThereSaysSoAndGoesOnTrying() throws Exception {
        String nowhere = UnreachableServer.address();
        CommandLine cli = DeviceCli.commandLine("start");
        StartCommand start = (StartCommand) cli.getSubcommands().get("start").getCommandSpec().userObject();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        start.log = new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8);
        start.in = new java.io.ByteArrayInputStream("quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        // without the warm-up, whose line ("warmed up in ...") may come before or after
        int exit = cli.execute("start", "--device", "d1", "--server", nowhere, "--no-warm-up");
        assertThat(err.toString()).isEmpty();
        assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("vheap: device d1: not attached to "
                + nowhere + " yet: " + UnreachableServer.nothingAnswers(nowhere) + "; retrying in the background" + System.lineSeparator());
        assertThat(exit).isZero();
    }

    /** The VM bench's paging section over a real heap server (the run's); its apps are deleted afterwards. */
    @Test
    void theVmBenchmarkRunsAndComparesOutputs() {
        Path samples = Path.of(System.getProperty("user.dir")).getParent().resolve("samples");
        Run r = cli("bench-vm", "--quick", "--only", "binary-trees,cache-churn", "--samples", samples.toString(), "--server", SERVER.target());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("binary-trees 8").contains("same").doesNotContain("DIFFERENT")
                .contains("geometric mean:").contains("over a heap server on loopback (" + SERVER.target() + ")")
                .contains("resident over the server").contains("minor p50/max")
                .contains("the nursery off (--nursery 0) vs on").contains("fewer flushed")
                .contains("compaction off (--no-compact) vs on (the default)").contains("cache-churn 4000");
        List<AppInfo> apps = SERVER.admin(stub -> stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsList());
        assertThat(apps).as("the bench's apps are deleted").noneMatch(a -> a.getApp().startsWith("bench-vm-"));
    }

    /** The flash bench, bounded: both app rows (no cleaning cycle in so few checkpoints) and every fill row. */
    @Test
    void theFlashBenchmarkRunsBounded() {
        Run r = cli("bench-flash", "--accounts", "2000", "--max-checkpoints", "10", "--rounds", "3", "--server",
                SERVER.target(), "--big-data-mib", "1", "--fronted-runs", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("patches (default)").contains("whole lines")
                .contains("10 (no cleaning cycle: copies left out)").contains("(target <= 2x)")
                .contains("25 %").contains("40 %").contains("50 %").contains("80 %").doesNotContain("NaN")
                .contains("checkpoint max").contains("with a pass")
                .contains("server alone").contains("flash in front of the server")
                .containsPattern("server alone / flash in front: \\d+\\.\\d\\dx \\(target >= 2x\\)");
        List<AppInfo> apps = SERVER.admin(stub -> stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsList());
        assertThat(apps).as("the bench's apps are deleted").noneMatch(a -> a.getApp().startsWith("bench-flash-front-"));
        java.util.regex.Pattern lines = java.util.regex.Pattern.compile("(\\d+) / (\\d+) / (\\d+)");
        for (String row : r.out().lines().filter(l -> l.startsWith("patches") || l.startsWith("whole")).toList()) {
            java.util.regex.Matcher m = lines.matcher(row);
            assertThat(m.find()).as(row).isTrue();
            assertThat(Long.parseLong(m.group(2)) > 0).as("lines patched: %s", row).isEqualTo(row.startsWith("patches"));
        }
        Run bad = cli("bench-flash", "--accounts", "10");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--accounts");
    }

    @Test
    void theHeapToolsBenchmarkRunsBounded() {
        Run r = cli("bench-heap-tools", "--server", SERVER.target(), "--big-data-mib", "2", "--rounds", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("stream the checkpoint's lines (ReadLines)").contains("1.00x")
                .containsPattern("export to a file \\(ExportHeap\\) +\\d+\\.\\d ms +\\d+\\.\\d +\\d+\\.\\d\\dx the time")
                .containsPattern("import the file \\(ImportHeap\\) +\\d+\\.\\d ms +\\d+\\.\\d +\\d+\\.\\d\\dx the time")
                .containsPattern("class histogram, first question \\(InspectHeap: read whole, walk\\) +\\d+\\.\\d ms +\\d+\\.\\d +\\d+\\.\\d\\dx the time")
                .containsPattern("with retained sizes \\(--retained: the dominator tree\\) +\\d+\\.\\d ms")
                .containsPattern("the histogram: [0-9,]+ reachable objects")
                .containsPattern("ScatteredCache \\(2 MiB allocated, a quarter of its entries kept\\), gc --compact: ")
                .containsPattern("BigData, gc --compact: [0-9,]+ lines to [0-9,]+ \\([0-9,]+ objects moved\\); resumed with .* the app faulted"
                        + " [0-9,]+ lines from the original checkpoint, [0-9,]+ from the compacted one: \\d+\\.\\d\\dx fewer")
                .contains("the image file: ").doesNotContain("NaN");
        List<AppInfo> apps = SERVER.admin(stub -> stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsList());
        assertThat(apps).as("the bench's apps (the original and its imported copies) are deleted")
                .noneMatch(a -> a.getApp().startsWith("bench-heap-tools-"));
        Run bad = cli("bench-heap-tools", "--big-data-mib", "0");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("--big-data-mib");
    }

    /**
     * What a device says while the store is away, one line each, naming the app: a device agent running several apps
     * gets each its own ({@code forApp}), not the agent's placeholder name.
     */
    @Test
    void storeWaitsAreOneLineEachNamingTheAppTheyPause() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        org.vheap.device.DeviceEvents agent = new DeviceOptions.StderrEvents("-", false, err);
        org.vheap.device.DeviceEvents shop = agent.forApp("shop");
        shop.storeWaiting("read lines [4, 5]", "UNAVAILABLE: the heap database is unavailable", Duration.ofSeconds(30));
        shop.storeBack("read lines [4, 5]", 4_200_000_000L);
        agent.forApp("tally").storeWaiting("flush lines [9]", "UNAVAILABLE: no connection", Duration.ZERO);
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()).containsExactly(
                "vheap: app shop: could not read lines [4, 5], the app is paused until the store is back (retrying for up to"
                        + " 30 s): UNAVAILABLE: the heap database is unavailable",
                "vheap: app shop: the store is back after 4.2 s (read lines [4, 5]), the app goes on",
                "vheap: app tally: could not flush lines [9], the app is paused until the store is back (retrying a few"
                        + " times): UNAVAILABLE: no connection");
    }
}
