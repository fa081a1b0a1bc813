package org.vheap.server.torture;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.vheap.cli.TempDirs;
import org.vheap.cli.TextTable;
import org.vheap.cli.VheapHome;

/**
 * The crash matrix of {@code ./vheap torture}: the {@link TallyApp} runs on a device against a heap server on the
 * embedded PostgreSQL, and at each of {@code points} points one process is killed with SIGKILL, of a {@link KillKind}
 * drawn from the seed, what was killed is started again (a device resumes the app on a new device name, a heap server
 * restarts on its port), and the matrix checks that the app went on from exactly a checkpoint that was reported
 * committed, or a newer one ({@link TallyRun}'s rules, with the app's own heap checks).
 *
 * <p><b>What is checked after which kill.</b> Each kill opens a <i>segment</i> of the app's output: after a device's
 * kill, the next run's lines; after a server's or a backend's, the same run's lines from the kill on (its device retries
 * through it), or, if it gave up, the next run's. A segment with a count or a commit in it and no problem means the app
 * went on exactly after that kill; a problem found in it is that kill's, lost (a committed checkpoint was not there) or
 * torn (anything else). A segment with nothing in it (a run killed at a crash point before it printed) is carried on to
 * the next run. The last point is checked by a final run that counts on.
 *
 * <p>With {@link Settings#flash} there is no heap server: the devices keep the app in their own flash store, one
 * directory that each device opens after the last was killed (the device kinds only). With {@link Settings#fronted}
 * that flash store is in front of the heap server ({@code --store flash:DIR --server}): each checkpoint commits in the
 * flash, reaches the server in the background and is reported once it has it, and a device killed before shipping
 * ships it when the next one opens the directory.
 *
 * <p>One thread; the processes are children of this one, killed when it ends.
 */
public final class CrashMatrix {
    static final String APP = "torture";
    /** The longest any one step waits: a device to resume and count, a crash point to be reached. */
    private static final Duration STEP = Duration.ofMinutes(2);

    /**
     * What to run: how many points, the seed of every random choice, the kinds to draw from (or, with {@code cycle},
     * to take in turn, in {@link KillKind}'s order, so that a bounded run meets each), where to work ({@code null}: a
     * temporary directory, deleted after), and whether the devices keep the app in their own flash store
     * ({@code --store flash:DIR}, no heap server: the device kinds only) or in their flash in front of the heap server
     * ({@code fronted}).
     */
    public record Settings(int points, long seed, Set<KillKind> kinds, boolean cycle, Path work, boolean flash,
                           boolean fronted) {
        public Settings {
            if (points < 1) {
                throw new IllegalArgumentException("--points must be at least 1, got " + points);
            }
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("--kinds must name at least one kind");
            }
            if (flash && kinds.stream().anyMatch(k -> !k.killsTheDevice())) {
                throw new IllegalArgumentException("--flash runs no heap server, postgres or gateway: give --kinds of the"
                        + " device only (device, device-minor, ...)");
            }
            if (flash && fronted) {
                throw new IllegalArgumentException("give --flash (no heap server) or --fronted (the flash in front of"
                        + " the heap server), not both");
            }
            kinds = Set.copyOf(kinds);
        }
    }

    /**
     * The flash store's options in {@link Settings#flash} runs: small blocks, and a flash size that the app's heap
     * (about 4 MiB of lines) and class files (1.6 MiB) fill to about two thirds and its checkpoints fill over and over
     * in a run, so the device is killed inside cleaning passes too.
     */
    static final List<String> FLASH_OPTIONS = List.of("--flash-block", "16k", "--flash-size", "10m");

    /** A run's totals. */
    public record Result(int points, long commits, int continued, int lostOrTorn, Duration took) {
    }

    /** The kill a segment of output follows. */
    private record Cause(int point, KillKind kind, int fromLine) {
    }

    private final VheapHome home;
    private final Settings settings;
    private final PrintStream out;
    private final Random random;
    private final Map<KillKind, MatrixRow> rows = new EnumMap<>(KillKind.class);
    private final List<KillKind> kinds;
    /** Where the server's data and the app go. */
    private Path work;
    private TortureServer server;
    /** The gateway the devices call when the gateway kind is chosen; {@code null} otherwise. */
    private TortureGateway gateway;
    private String classPath;
    /** The device running the app; {@code null} between a kill and the next resume. */
    private ChildProcess run;
    /** The kills the current run's output answers, in line order; those before its start come first, at line 0. */
    private final List<Cause> segments = new ArrayList<>();
    /** The last commit and count that the runs before the current one printed. */
    private long committedBefore;
    private long countedBefore;
    private long commits;
    /** The last lines the previous run printed, both streams: shown with a problem the next run shows. */
    private String previousTail = "(none)";
    /** Problems of the app's output before any kill. */
    private final List<String> unprovoked = new ArrayList<>();
    private int devices;

    public CrashMatrix(VheapHome home, Settings settings, PrintStream out) {
        this.home = home;
        this.settings = settings;
        this.out = out;
        this.random = new Random(settings.seed());
        this.kinds = settings.kinds().stream().sorted().toList();
        for (KillKind k : KillKind.values()) {
            rows.put(k, new MatrixRow(k));
        }
    }

    /** Runs the matrix and prints its table; see the class's description. */
    public Result run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        work = settings.work() != null ? settings.work() : Files.createTempDirectory("vheap-torture-");
        try {
            return run(t0);
        } finally {
            if (settings.work() == null) {
                TempDirs.deleteTree(work);
            }
        }
    }

    private Result run(long t0) throws IOException, InterruptedException {
        say("working under " + work);
        prepareApp();
        try (TortureServer s = settings.flash() ? null : TortureServer.start(home, work.resolve("data"))) {
            server = s;
            if (s == null) {
                say("no heap server: the devices keep the app in their flash store, " + work.resolve("flash") + " ("
                        + String.join(" ", FLASH_OPTIONS) + ")");
            } else {
                say("heap server on " + s.address() + " (embedded PostgreSQL under " + work.resolve("data") + ")"
                        + (settings.fronted() ? "; the devices keep the app in their flash in front of it, "
                        + work.resolve("flash") + " (" + String.join(" ", FLASH_OPTIONS) + ")" : ""));
            }
            if (settings.kinds().contains(KillKind.GATEWAY)) {
                gateway = TortureGateway.start(home, s.address());
                say("gateway on " + gateway.address() + ": the devices reach the heap server through it");
            }
            run = device(List.of("run"), List.of(), true);
            run.awaitOut("its first checkpoint", 0, l -> l.startsWith("committed 1 "), STEP);
            for (int k = 1; k <= settings.points(); k++) {
                point(k);
            }
            finalRun();
        } finally {
            if (run != null && run.isAlive()) {
                run.kill();
            }
            if (gateway != null) {
                gateway.close();
            }
        }
        Result result = new Result(settings.points(), commits,
                rows.values().stream().mapToInt(MatrixRow::continuedCount).sum(),
                rows.values().stream().mapToInt(MatrixRow::lostOrTorn).sum() + unprovoked.size(), Duration.ofNanos(System.nanoTime() - t0));
        print(result);
        return result;
    }

    /** Builds the device module if needed (through the launcher), then compiles the app against the app API. */
    private void prepareApp() throws IOException, InterruptedException {
        classPath = TallyDevices.prepare(home, work);
    }

    private void point(int k) throws IOException, InterruptedException {
        KillKind kind = settings.cycle() ? kinds.get((k - 1) % kinds.size()) : kinds.get(random.nextInt(kinds.size()));
        rows.get(kind).point();
        String detail = "";
        if (run != null && !run.isAlive()) {
            checkRun();   // its device stopped by itself (after a database crash lost flushes it was told of)
        }
        List<String> options = kind.deviceOptions(random);
        if (!options.isEmpty()) {
            detail = " (" + String.join(" ", options) + ")";
            if (run != null) {   // a crash point needs a device started with it: the running one is killed first
                run.kill();
                endRun(k, kind);
                detail += ", the running device killed first";
            }
        }
        if (run == null) {
            run = device(List.of("resume"), options, false);
        }
        switch (kind) {
            case DEVICE -> {
                awaitCountOrResume();
                Thread.sleep(random.nextInt(600));
                run.kill();
                endRun(k, kind);
            }
            case DEVICE_MINOR, DEVICE_PROMOTION, DEVICE_YOUNG, DEVICE_FLUSH, DEVICE_PREFLUSH, DEVICE_COMMIT -> {
                run.awaitErr("its crash point", 0, l -> l.contains("crash point ") && l.contains(" reached"), STEP);
                run.kill();
                endRun(k, kind);
            }
            case SERVER, POSTGRES, GATEWAY -> {
                awaitCountOrResume();
                Thread.sleep(random.nextInt(600));
                int mark = run.out().size();
                segments.add(new Cause(k, kind, mark));
                if (kind == KillKind.SERVER) {
                    server.crash();
                    server.restart();
                } else if (kind == KillKind.GATEWAY) {
                    gateway.crash();
                } else {
                    String backend = server.crashBackend(random);
                    detail = backend == null ? " (no backend was connected: nothing killed)" : " (" + backend + ")";
                }
                if (!wentOn(mark)) {
                    List<String> err = run.err();
                    detail += "; its device stopped (" + (err.isEmpty() ? "no message" : err.get(err.size() - 1))
                            + "), the app resumes on the next";
                    checkRun();   // the next run shows where the app went on after this point
                }
            }
            default -> throw new IllegalStateException("no kill for " + kind);
        }
        say("point " + k + "/" + settings.points() + ": " + kind.label() + detail);
    }

    /** Starts a device: {@code device run} the first time, {@code device resume} after. */
    private ChildProcess device(List<String> verb, List<String> options, boolean first) throws IOException {
        String name = "dev-" + devices++;
        List<String> command = new ArrayList<>(List.of(home.launcher().toString(), "device"));
        command.addAll(verb);
        command.addAll(List.of("--app", APP));
        if (settings.flash()) {
            command.addAll(List.of("--store", "flash:" + work.resolve("flash")));
            command.addAll(FLASH_OPTIONS);
        } else {
            command.addAll(List.of("--server", gateway != null ? gateway.address() : server.address()));
            if (settings.fronted()) {
                command.addAll(List.of("--store", "flash:" + work.resolve("flash")));
                command.addAll(FLASH_OPTIONS);
            }
        }
        command.addAll(List.of("--device", name, "--memory", "64k", "--lease", "1s"));
        if (!first) {
            command.addAll(List.of("--wait-lease", "60s"));
        }
        command.addAll(options);
        if (first) {
            command.add(classPath);
            command.add(TallyApp.CLASS);
            command.addAll(TallyApp.ARGS);
        }
        return ChildProcess.start("device " + name, command, home.root());
    }

    /**
     * Waits for the running app to count once more; if its device stops first (by itself: after a database crash lost
     * flushes it was told of), the run is checked and the app resumed on a new device, which must count.
     */
    private void awaitCountOrResume() throws IOException, InterruptedException {
        if (awaitCount()) {
            return;
        }
        checkRun();
        run = device(List.of("resume"), List.of(), false);
        if (!awaitCount()) {
            throw new TortureFailure(run.name() + " stopped before it counted; its last lines: " + run.tail());
        }
    }

    /** Waits for the running app to count once more: true; false when its device stopped first. */
    private boolean awaitCount() throws InterruptedException {
        try {
            run.awaitOut("a count", run.out().size(), l -> l.startsWith("count "), STEP);
            return true;
        } catch (TortureFailure ended) {
            return stopped(ended);
        }
    }

    /** Whether the running app counted twice from output line {@code mark} on (true) or its device stopped first. */
    private boolean wentOn(int mark) throws InterruptedException {
        try {
            int first = run.awaitOut("a count after the kill", mark, l -> l.startsWith("count "), STEP);
            run.awaitOut("a second count after the kill", first + 1, l -> l.startsWith("count "), STEP);
            return true;
        } catch (TortureFailure ended) {
            return stopped(ended);
        }
    }

    /** After a wait that failed: false when the device has stopped (its output ended), else the failure (a timeout). */
    private boolean stopped(TortureFailure failure) throws InterruptedException {
        try {
            run.awaitExit(Duration.ofSeconds(30));   // its output ended: the device is on its way out
            return false;
        } catch (TortureFailure stillRunning) {
            throw failure;
        }
    }

    /** Ends the current run (killed or ended by itself) and checks it; {@code kind}'s point {@code point} ended it. */
    private void endRun(int point, KillKind kind) throws InterruptedException {
        checkRun();
        segments.add(new Cause(point, kind, 0));
    }

    /** A last run, which counts on three times, checks the last points. */
    private void finalRun() throws IOException, InterruptedException {
        if (run != null && !run.isAlive()) {
            checkRun();
        }
        if (run == null) {
            run = device(List.of("resume"), List.of(), false);
        }
        for (int i = 0; i < 3; i++) {
            awaitCountOrResume();
        }
        checkRun();
        for (Cause c : segments) {   // none should be left: the final run counted
            rows.get(c.kind()).problem(c.point(), "torn: the app never went on after it");
        }
    }

    /**
     * Kills the current run if it is alive, and checks each segment of its output: the kill it follows went on
     * exactly, or its problem is that kill's; a segment with nothing in it is carried on to the next run.
     */
    private void checkRun() throws InterruptedException {
        if (run.isAlive()) {
            run.kill();
        }
        run.awaitExit(Duration.ofSeconds(30));
        run.awaitOutputEnd(Duration.ofSeconds(60));   // a line the check missed would read as a torn checkpoint
        List<String> lines = run.out();
        TallyRun r = TallyRun.of(lines, committedBefore, countedBefore);
        commits += r.commits();
        if (r.problem() != null && (segments.isEmpty() || r.problemLine() < segments.get(0).fromLine())) {
            unprovoked.add(r.problem());   // before any kill
            say("before any kill: " + r.problem());
        }
        List<Cause> carried = new ArrayList<>();
        for (Cause c : segments) {
            // a segment ends where the first later kill's begins: kills before the run's start all share its beginning
            int end = segments.stream().mapToInt(Cause::fromLine).filter(from -> from > c.fromLine()).min()
                    .orElse(lines.size());
            if (r.problem() != null && r.problemLine() >= c.fromLine() && r.problemLine() < end) {
                rows.get(c.kind()).problem(c.point(), r.problem());
                say("point " + c.point() + " (" + c.kind().label() + "): " + r.problem() + "; the run before ended: "
                        + previousTail + "; this run (" + run.name() + ") began: "
                        + String.join(" | ", lines.subList(0, Math.min(4, lines.size()))));
            } else if (lines.subList(Math.min(c.fromLine(), end), end).stream()
                    .anyMatch(l -> l.startsWith("count ") || l.startsWith("committed "))) {
                rows.get(c.kind()).continued(c.point());
            } else {
                carried.add(new Cause(c.point(), c.kind(), 0));
            }
        }
        segments.clear();
        segments.addAll(carried);
        committedBefore = r.lastCommitted();
        countedBefore = r.lastCount();
        previousTail = run.name() + ": " + run.tail();
        run = null;
    }

    private void print(Result result) {
        TextTable table = new TextTable("kind", "points", "checkpoints committed", "went on exactly", "lost or torn");
        for (MatrixRow row : rows.values()) {
            if (row.points() > 0) {
                table.row(row.kind().label(), row.points(), "", row.continuedCount(), row.lostOrTorn());
            }
        }
        table.row("all", result.points(), result.commits(), result.continued(), result.lostOrTorn());
        out.println();
        table.print(out);
        for (MatrixRow row : rows.values()) {
            row.problems().forEach(p -> out.println(row.kind().label() + ", " + p));
        }
        unprovoked.forEach(p -> out.println("before any kill: " + p));
        out.println();
        out.println(result.points() + " points in " + result.took().toSeconds() + " s (seed " + settings.seed() + ", "
                + devices + " device runs): " + (result.lostOrTorn() == 0 ? "no checkpoint lost or torn"
                : result.lostOrTorn() + " lost or torn"));
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
