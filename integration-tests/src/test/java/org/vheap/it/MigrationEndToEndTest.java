package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint, resume and migration with every part real: a heap server on the embedded PostgreSQL and devices
 * as separate JVM processes started by {@code ./vheap}, talking gRPC over loopback.
 */
class MigrationEndToEndTest {
    /**
     * Counts, checking after every step that its heap is intact (a list of all counts and a ballast that
     * outgrows the device memory, so lines are flushed and fetched), and checkpoints through the app API. A third
     * argument makes each step that many short-lived objects too, so minor collections and promotions run all the
     * time (the kill test: a kill lands amid them as often as anywhere). The crash matrix's app ({@code ./vheap torture}).
     */
    static final String TALLY = org.vheap.server.torture.TallyApp.SOURCE;

    private static final String NAMED = """
            public class Named {
                public static void main(String[] a) throws Exception {
                    for (int i = 1; i <= Integer.parseInt(a[1]); i++) {
                        System.out.println(a[0] + " " + i);
                        Thread.sleep(Long.parseLong(a[2]));
                    }
                    System.out.println(a[0] + " done");
                }
            }
            """;

    private Path work;
    private VheapProcesses vheap;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createTempDirectory("vheap-migration");
        vheap = new VheapProcesses(work);
    }

    @AfterEach
    void tearDown() throws IOException {
        vheap.close();
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private VheapProcesses.Started device(String server, String name, String... extra) throws IOException {
        return CounterMigration.device(vheap, server, name, extra);
    }

    @Test
    void theCounterMigratesMidRunAndGoesOnWithNoGapOrRepeat() throws Exception {
        CounterMigration.run(vheap, vheap.startServer(), "counter");
    }

    /**
     * The journal sample appends to a file of its own file system, which lives in its heap: migrated mid-run, it
     * ends on the other device with every entry, those written on the first included; neither device's directory
     * ever holds the file.
     */
    private static final int JOURNAL_ENTRIES = 400;

    @Test
    void aFileWrittenBeforeAMigrationIsWholeOnTheOtherDevice() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compileSample("Journal");
        VheapProcesses.Started a = device(server, "a");
        VheapProcesses.Started b = device(server, "b");
        a.awaitErrors("attached", Duration.ofSeconds(60));
        b.awaitErrors("attached", Duration.ofSeconds(60));

        // 400 entries, 50 ms apart: the migration (a launcher JVM's start, a suspend, a resume) has 19 s after entry 20,
        // enough on a loaded machine (80 entries left it 3 s, which a busy CI run missed: the app had ended)
        a.send("run journal " + classes + " Journal " + JOURNAL_ENTRIES + " 50");
        a.awaitOutput("wrote entry 20\n", Duration.ofSeconds(60));
        VheapProcesses.Result moved = vheap.vheap("migrate", "--app", "journal", "--to", "b", "--server", server);
        assertThat(moved.exit()).as(moved.output()).isZero();
        b.awaitOutput("journal.txt holds " + JOURNAL_ENTRIES + " entries, in order: true\n", Duration.ofSeconds(90));

        List<String> all = new ArrayList<>(a.output().lines().toList());
        all.addAll(b.output().lines().toList());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= JOURNAL_ENTRIES; i++) {
            expected.add("wrote entry " + i);
        }
        expected.add("journal.txt holds " + JOURNAL_ENTRIES + " entries, in order: true");
        assertThat(all).as("a wrote %d entries, b the rest", a.output().lines().count()).isEqualTo(expected);
        assertThat(b.output()).doesNotStartWith("wrote entry 1\n");
        try (Stream<Path> files = Files.walk(work)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("journal.txt"))).isEmpty();
        }
        a.send("quit");
        b.send("quit");
        assertThat(a.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(b.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void twoAppsInOneDeviceAreSuspendedAndResumedInTurn() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compile("Named", NAMED);
        VheapProcesses.Started d = device(server, "shared");
        d.awaitErrors("attached", Duration.ofSeconds(60));
        d.send("run one " + classes + " Named one 60 30");
        d.send("run two " + classes + " Named two 60 30");
        d.awaitOutput("one 10\n", Duration.ofSeconds(60));
        d.send("suspend one");
        d.awaitErrors("app one suspended at checkpoint", Duration.ofSeconds(60));
        d.awaitOutput("two 40\n", Duration.ofSeconds(60));
        String whileSuspended = d.output();
        d.send("resume one");
        d.awaitOutput("two done\n", Duration.ofSeconds(60));
        d.awaitOutput("one done\n", Duration.ofSeconds(60));
        List<String> lines = d.output().lines().toList();
        for (String app : List.of("one", "two")) {
            List<String> mine = lines.stream().filter(l -> l.startsWith(app + " ")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                expected.add(app + " " + i);
            }
            expected.add(app + " done");
            assertThat(mine).as(app).isEqualTo(expected);
        }
        // while one was suspended, only two ran
        int oneAtSuspend = (int) whileSuspended.lines().filter(l -> l.startsWith("one ")).count();
        assertThat(oneAtSuspend).isLessThan(40);
        d.send("quit");
        assertThat(d.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    private static final Pattern LINE = Pattern.compile("(count|committed) (\\d+)( (\\d+))?");

    /** What one device process printed of Tally: checked line by line. */
    private record Run(long firstCommitted, long lastCount, long lastCommitted, boolean finished) {
    }

    private static Run check(String output, long from, long to) {
        long firstCommitted = -1;
        long lastCount = from;
        long lastCommitted = from;
        long expect = -1;
        boolean finished = false;
        for (String line : output.lines().toList()) {
            assertThat(line).doesNotStartWith("CORRUPT");
            if (line.equals("finished")) {
                finished = true;
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("line '%s'", line).isTrue();
            long i = Long.parseLong(m.group(2));
            if (m.group(1).equals("committed")) {
                if (firstCommitted < 0) {
                    firstCommitted = i;
                    expect = i + 1;
                } else {
                    assertThat(i).as("committed after count").isEqualTo(lastCount);
                }
                lastCommitted = i;
            } else {
                if (expect >= 0) {
                    assertThat(i).as("counts go on by one").isEqualTo(expect);
                }
                expect = i + 1;
                lastCount = i;
            }
        }
        return new Run(firstCommitted, lastCount, lastCommitted, finished);
    }

    @Test
    void devicesKilledAtRandomMomentsResumeElsewhereFromTheLastCommittedState() throws Exception {
        int points = Integer.getInteger("vheap.killPoints", 20);   // CI's bound; -Dvheap.killPoints=N for more
        String server = vheap.startServer();
        Path classes = vheap.compile("Tally", TALLY);
        String cp = classes + ":" + VheapProcesses.apiClassPath();
        Random random = new Random(42);
        VheapProcesses.Started run = vheap.start("device", "run", "--app", "tally", "--server", server, "--device", "dev-0",
                "--memory", "64k", "--lease", "1s", cp, "Tally", "1000000", "5", "300");
        long committedBefore = 0;
        long countedBefore = 0;
        long firstRunCount = 0;
        for (int k = 1; k <= points; k++) {
            // let it run a random while after it counted on by itself, then kill -9 it
            run.awaitOutput(k == 1 ? "committed 1 " : "count ", Duration.ofSeconds(120));
            Thread.sleep(random.nextInt(600));
            run.process().destroyForcibly();
            run.awaitExit(Duration.ofSeconds(30));
            Run killed = check(run.output(), committedBefore, countedBefore);
            if (k > 1) {
                // the resumed app went on exactly after a checkpoint the killed one had committed, or one it
                // committed without living to print it
                assertThat(killed.firstCommitted()).as("kill point %d resumed at", k - 1)
                        .isBetween(committedBefore, countedBefore);
            }
            committedBefore = killed.lastCommitted();
            countedBefore = killed.lastCount();
            if (k == 1) {
                firstRunCount = countedBefore;
            }
            run = resumeWhenLeaseFree(server, "tally", "dev-" + k);
        }
        awaitGoingOn(run, committedBefore, countedBefore);
        assertThat(countedBefore).as("the app counted on across %d kills", points).isGreaterThan(firstRunCount);
    }

    @Test
    void devicesKilledInsideMinorAndYoungCollectionsAndPromotionsResumeElsewhereFromTheLastCommittedState() throws Exception {
        int points = Integer.getInteger("vheap.collectionKillPoints", 8);
        String server = vheap.startServer();
        Path classes = vheap.compile("Tally", TALLY);
        String cp = classes + ":" + VheapProcesses.apiClassPath();
        Random random = new Random(15);
        // a first run, killed anywhere once it committed, so every crash point below is met by a resumed app
        VheapProcesses.Started run = vheap.start("device", "run", "--app", "gc-tally", "--server", server, "--device",
                "gc-0", "--memory", "64k", "--lease", "1s", cp, "Tally", "1000000", "0", "300");
        run.awaitOutput("committed 3 ", Duration.ofSeconds(120));
        run.process().destroyForcibly();
        run.awaitExit(Duration.ofSeconds(30));
        Run first = check(run.output(), 0, 0);
        long committedBefore = first.lastCommitted();
        long countedBefore = first.lastCount();
        int met = 0;
        for (int k = 1; k <= points; k++) {
            // a minor collection half done (originals forwarded, copies not yet scanned), an object just promoted, or
            // (every third, on a device with --young) a young collection marked but not swept
            boolean young = k % 3 == 0;
            String at = young ? "young:" + (1 + random.nextInt(3))
                    : k % 2 == 1 ? "minor:" + (1 + random.nextInt(40)) : "promotion:" + (1 + random.nextInt(1500));
            run = young ? resumeWhenLeaseFree(server, "gc-tally", "gc-" + k, "--crash-at", at, "--young")
                    : resumeWhenLeaseFree(server, "gc-tally", "gc-" + k, "--crash-at", at);
            run.awaitErrors("crash point " + at.replace(":", " #") + " reached", Duration.ofSeconds(120));
            run.process().destroyForcibly();   // SIGKILL while the VM stands inside the collection
            run.awaitExit(Duration.ofSeconds(30));
            Run killed = check(run.output(), committedBefore, countedBefore);
            if (killed.firstCommitted() >= 0) {
                // it went on exactly after a checkpoint the run before committed (or committed without printing)
                assertThat(killed.firstCommitted()).as("crash point %s resumed at", at)
                        .isBetween(committedBefore, countedBefore);
                committedBefore = killed.lastCommitted();
                countedBefore = killed.lastCount();
                met++;
            }
        }
        awaitGoingOn(resumeWhenLeaseFree(server, "gc-tally", "gc-last"), committedBefore, countedBefore);
        assertThat(met).as("kills that landed after the resumed app printed where it went on").isGreaterThan(points / 2);
        assertThat(countedBefore).as("the app counted on across %d kills inside collections", points)
                .isGreaterThan(first.lastCount());
    }

    /** Resumes an app on a new device as soon as the killed or frozen device's lease has expired. */
    private VheapProcesses.Started resumeWhenLeaseFree(String server, String app, String device, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("device", "resume", "--app", app, "--server", server, "--device",
                device, "--memory", "64k", "--lease", "1s", "--wait-lease", "30s"));
        args.addAll(List.of(extra));
        return vheap.start(args.toArray(new String[0]));
    }

    /** Lets a resumed Tally count three on, stops it, and checks it went on from where the last kill left it. */
    private static void awaitGoingOn(VheapProcesses.Started run, long committedBefore, long countedBefore) throws Exception {
        run.awaitOutput("committed " + (countedBefore + 3), Duration.ofSeconds(120));
        run.process().destroy();
        run.awaitExit(Duration.ofSeconds(30));
        Run last = check(run.output(), committedBefore, countedBefore);
        assertThat(last.firstCommitted()).isBetween(committedBefore, countedBefore);
    }

    @Test
    void aZombieDeviceThatLostItsLeaseIsFencedAndStopsTheApp() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compile("Tally", TALLY);
        String cp = classes + ":" + VheapProcesses.apiClassPath();
        VheapProcesses.Started zombie = vheap.start("device", "run", "--app", "z", "--server", server, "--device", "old",
                "--memory", "64k", "--lease", "1s", cp, "Tally", "1000000", "20");
        zombie.awaitOutput("committed 5 ", Duration.ofSeconds(120));
        long pid = zombie.process().pid();
        signal("STOP", pid);
        Thread.sleep(1500); // the lease expires while the device is frozen
        VheapProcesses.Started heir = resumeWhenLeaseFree(server, "z", "new");
        heir.awaitOutput("committed", Duration.ofSeconds(120));
        signal("CONT", pid);
        int zombieExit = zombie.awaitExit(Duration.ofSeconds(60));
        assertThat(zombieExit).isEqualTo(1);
        assertThat(zombie.errors()).contains("fenced");
        heir.awaitOutput("count ", Duration.ofSeconds(120));   // a resumed Tally may commit before it counts
        String before = heir.output();
        heir.awaitOutput("count " + (check(before, 0, 0).lastCount() + 5) + "\n", Duration.ofSeconds(120));
        check(heir.output(), 0, 0);
    }

    /** Sends a signal with the shell's own kill (no procps needed). */
    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("sh", "-c", "kill -" + name + " " + pid).start().waitFor()).isZero();
    }

    /** SIGTERM suspends a device's app with a checkpoint; it prints how to resume. */
    private static void suspendBySignal(VheapProcesses.Started device) throws Exception {
        device.process().destroy(); // SIGTERM
        assertThat(device.awaitExit(Duration.ofSeconds(60))).isZero();
        assertThat(device.errors()).contains("suspended at checkpoint").contains("./vheap device resume --app");
    }

    @Test
    void aProducerAndConsumerSuspendedBySigtermGoOnInAnotherProcess() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compileSample("ProducerConsumer");
        VheapProcesses.Started a = vheap.start("device", "run", "--app", "pc", "--server", server, "--device", "a",
                "--memory", "128k", classes.toString(), "ProducerConsumer", "300", "10");
        a.awaitOutput("got 60 ", Duration.ofSeconds(120));
        suspendBySignal(a);
        VheapProcesses.Started b = vheap.start("device", "resume", "--app", "pc", "--server", server, "--device", "b",
                "--memory", "256k", "--wait-lease", "30s");
        assertThat(b.awaitExit(Duration.ofSeconds(120))).as(b.errors()).isZero();
        List<String> lines = new ArrayList<>(a.output().lines().toList());
        lines.addAll(b.output().lines().toList());
        List<String> expected = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < 300; i++) {
            sum += i;
            expected.add("got " + i + " " + sum);
        }
        expected.add("sum " + sum + " producer alive false");
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void aLeaseOnASensorTheNewDeviceLacksIsLostAndTheLoggerSwitchesSensors() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compileSample("SensorLogger");
        String cp = classes + ":" + VheapProcesses.apiClassPath();
        VheapProcesses.Started a = vheap.start("device", "run", "--app", "sensor", "--server", server, "--device", "a",
                "--resource", "console", "--resource", "sensor:temperature", cp, "SensorLogger", "60", "20");
        a.awaitOutput("\n10 sensor:temperature ", Duration.ofSeconds(120));
        suspendBySignal(a);
        VheapProcesses.Started b = vheap.start("device", "resume", "--app", "sensor", "--server", server, "--device", "b",
                "--resource", "sensor:humidity", "--wait-lease", "30s");
        assertThat(b.awaitExit(Duration.ofSeconds(120))).as(b.errors()).isZero();
        assertThat(a.output()).startsWith("using sensor:temperature\n1 sensor:temperature ");
        assertThat(b.output()).contains("lease lost: sensor:temperature is not on this device")
                .contains("using sensor:humidity\n").contains("\n60 sensor:humidity ");
        // every reading printed once, in order, across the two devices
        List<String> readings = (a.output() + b.output()).lines().filter(l -> l.matches("\\d+ sensor:\\w+ .*")).toList();
        assertThat(readings).extracting(l -> Integer.parseInt(l.split(" ")[0]))
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 60).boxed().toList());
        // on b, temperature only for the reading taken on a whose line the suspension caught half printed (it ends
        // on b): the first of b's lines, if any; every later reading is from the humidity sensor
        List<String> onB = b.output().lines().filter(l -> l.matches("\\d+ sensor:\\w+ .*")).toList();
        assertThat(onB.stream().skip(1)).allMatch(l -> l.contains(" sensor:humidity "));
    }

    /** Appends to a log in a mounted host directory until a write fails; then says what its lease listener heard. */
    private static final String DATA_LOGGER = """
            import java.io.*;
            import java.util.concurrent.*;
            import org.vheap.api.*;
            public class DataLogger {
                public static void main(String[] a) throws Exception {
                    CountDownLatch lost = new CountDownLatch(1);
                    Leases.addListener(l -> { System.out.println("lease lost: " + l.resource()); lost.countDown(); });
                    for (int i = 1; i <= Integer.parseInt(a[0]); i++) {
                        try (FileWriter w = new FileWriter("/data/log.txt", true)) {
                            w.write("entry " + i + "\\n");
                        } catch (IOException e) {
                            System.out.println("entry " + i + ": " + e.getMessage());
                            lost.await(30, TimeUnit.SECONDS);
                            return;
                        }
                        System.out.println("logged " + i);
                        Thread.sleep(50);
                    }
                }
            }
            """;

    @Test
    void aMountedDirectoryStaysOnItsDeviceAndAnAppMovedToOneWithoutItIsToldAndNamesIt() throws Exception {
        String server = vheap.startServer();
        Path classes = vheap.compile("DataLogger", DATA_LOGGER);
        Path shared = Files.createDirectories(work.resolve("shared"));
        String cp = classes + ":" + VheapProcesses.apiClassPath();
        VheapProcesses.Started a = vheap.start("device", "run", "--app", "datalog", "--server", server, "--device", "a",
                "--mount", shared + ":/data", cp, "DataLogger", "1000");
        a.awaitOutput("logged 10\n", Duration.ofSeconds(120));
        suspendBySignal(a);
        VheapProcesses.Started b = vheap.start("device", "resume", "--app", "datalog", "--server", server, "--device", "b",
                "--wait-lease", "30s");
        assertThat(b.awaitExit(Duration.ofSeconds(120))).as(b.errors()).isZero();
        Matcher failed = Pattern.compile("entry (\\d+): /data/log.txt \\(No medium found: the mount /data is not on this device\\)")
                .matcher(b.output());
        assertThat(failed.find()).as(b.output()).isTrue();
        assertThat(b.output()).contains("lease lost: mount:/data\n");
        // the log is the host's: every entry a wrote before it was suspended, in order, and none after
        int next = Integer.parseInt(failed.group(1));
        List<String> expected = java.util.stream.IntStream.range(1, next).mapToObj(i -> "entry " + i).toList();
        assertThat(Files.readAllLines(shared.resolve("log.txt"))).isEqualTo(expected);
        // (the suspension may have caught a between an entry and its line: b prints that line)
        assertThat((a.output() + b.output()).lines().filter(l -> l.startsWith("logged ")).count()).isEqualTo(next - 1);
    }
}
