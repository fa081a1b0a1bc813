package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.server.testing.TestHeaps;

/** Suspend at a safepoint, resume on another device (another VM over the same store): the output goes on exactly. */
class ResumeTest {
    private static final Path SAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("samples");
    private static final String TICKER = """
            import java.util.*;
            public class Ticker {
                public static void main(String[] a) throws Exception {
                    int n = Integer.parseInt(a[0]);
                    Map<Integer, String> m = new HashMap<>();
                    StringBuilder sb = new StringBuilder();
                    Runnable r = () -> sb.append('x');
                    for (int i = 0; i < n; i++) {
                        m.put(i, "v" + i);
                        r.run();
                        long h = 0;
                        for (int k = 0; k < 20000; k++) h = h * 31 + (k ^ i);
                        System.out.println("tick " + i + " " + m.size() + " " + sb.length() + " " + h + " " + System.identityHashCode(m));
                    }
                    System.out.println("done " + m.get(n - 1));
                }
            }
            """;

    /** Checkpoints through the app API after every step and prints each checkpoint's id to stderr. */
    private static final String STEPS = """
            import org.vheap.api.Checkpoint;
            public class Steps {
                public static void main(String[] a) {
                    int n = Integer.parseInt(a[0]);
                    StringBuilder trail = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        trail.append(i).append(',');
                        System.out.println("step " + i + " trail " + trail);
                        long id = Checkpoint.now();
                        System.err.println("checkpoint " + id);
                    }
                    System.out.println("end " + trail.length());
                }
            }
            """;

    static Path compile(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory("vheap-resume-test");
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, source);
        String api = Path.of(org.vheap.api.Checkpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp", api, "-d",
                dir.toString(), src.toString())).isZero();
        return dir;
    }

    static Path apiClasses() throws Exception {
        return Path.of(org.vheap.api.Checkpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The id in the first "checkpoint N" line an app printed. */
    static long checkpointIn(String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("checkpoint (\\d+)").matcher(output);
        assertThat(m.find()).as("a checkpoint in %s", output).isTrue();
        return Long.parseLong(m.group(1));
    }

    static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(2);
        }
    }

    @Test
    void suspendedAppResumesOnAnotherDeviceAndPrintsWhatAnUninterruptedRunPrints() throws Exception {
        Path classes = compile("Ticker", TICKER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            new Device(new DeviceConfig().app(TestHeaps.app("ticker-whole")), store, console(whole))
                    .run(List.of(classes), "Ticker", List.of("40"));

            String app = TestHeaps.app("ticker");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a"), store, console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Ticker", List.of("40")));
            awaitOutput(first, "tick 10 ");
            long checkpoint = a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);
            assertThat(checkpoint).isPositive();

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(256 << 10), store, console(second));
            assertThat(b.resume(0)).isZero();
            String joined = first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8);
            assertThat(joined).isEqualTo(whole.toString(StandardCharsets.UTF_8));
            assertThat(second.toString(StandardCharsets.UTF_8)).startsWith("tick ").contains("done v39");
        }
    }

    /**
     * A device resumes an app whose class files it fetched before from its code cache, with no store call for them:
     * the first resume on a device fetches the app's class files from the store's system blobs, the second (the app
     * back after a suspend) fetches none, and both go on exactly.
     */
    @Test
    void aDeviceFetchesAnAppsClassFilesOnceAndResumesItAgainWithoutAsking() throws Exception {
        Path classes = compile("Ticker", TICKER);
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
            org.vheap.device.store.HeapStore store = new org.vheap.device.store.HeapStore() {
                @Override
                public HeapSession openHeap(OpenRequest request) {
                    return real.openHeap(request);
                }

                @Override
                public org.vheap.device.store.SystemBlobStore systemBlobs(String app) {
                    org.vheap.device.store.SystemBlobStore blobs = real.systemBlobs(app);
                    return new org.vheap.device.store.SystemBlobStore() {
                        @Override
                        public int put(java.util.Map<org.vheap.format.BlobHash, byte[]> files) {
                            return blobs.put(files);
                        }

                        @Override
                        public java.util.Map<org.vheap.format.BlobHash, byte[]> get(
                                java.util.Collection<org.vheap.format.BlobHash> hashes) {
                            fetches.addAndGet(hashes.size());
                            return blobs.get(hashes);
                        }

                        @Override
                        public List<org.vheap.format.BlobHash> missing(java.util.Collection<org.vheap.format.BlobHash> hashes) {
                            return blobs.missing(hashes);
                        }
                    };
                }

                @Override
                public void close() {
                }
            };
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            new Device(new DeviceConfig().app(TestHeaps.app("ticker-whole")), real, console(whole))
                    .run(List.of(classes), "Ticker", List.of("40"));

            String app = TestHeaps.app("ticker-fetched");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a"), store, console(out));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Ticker", List.of("40")));
            awaitOutput(out, "tick 5 ");
            a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);

            org.vheap.device.vm.loader.ParsedClasses codeCache = new org.vheap.device.vm.loader.ParsedClasses();
            int[] fetchedPerResume = new int[2];
            for (int resume = 0; resume < 2; resume++) {
                int before = fetches.get();
                Device b = new Device(new DeviceConfig().app(app).deviceName("b"), store, console(out), codeCache);
                CompletableFuture<Integer> resumed = CompletableFuture.supplyAsync(() -> b.resume(0));
                awaitOutput(out, "tick " + (15 + 10 * resume) + " ");
                b.suspend(Duration.ofSeconds(30));
                assertThat(resumed.get()).isEqualTo(Device.SUSPENDED);
                fetchedPerResume[resume] = fetches.get() - before;
            }
            assertThat(fetchedPerResume[0]).as("the app's own class files, fetched").isPositive();
            assertThat(fetchedPerResume[1]).as("fetched again").isZero();
            assertThat(codeCache.fetchedFiles().size()).isEqualTo(fetchedPerResume[0]);

            Device c = new Device(new DeviceConfig().app(app).deviceName("c"), store, console(out), codeCache);
            assertThat(c.resume(0)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(whole.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A suspend asked for after the app ended (a device quitting just as an app finishes) fails at once, saying
     * so, instead of waiting for a safepoint that will never come.
     */
    @Test
    void aSuspendAskedForAfterTheAppEndedFailsAtOnce() throws Exception {
        Path classes = compile("Ticker", TICKER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            Device device = new Device(new DeviceConfig().app(TestHeaps.app("ticker-ended")), store,
                    console(new ByteArrayOutputStream()));
            assertThat(device.run(List.of(classes), "Ticker", List.of("3"))).isZero();
            assertThatThrownBy(() -> device.suspend(Duration.ofSeconds(20))).isInstanceOf(DeviceException.class)
                    .hasMessageContaining("did not suspend").hasMessageContaining("ended");
        }
    }

    @Test
    void runOrResumeRunsAnAppWithNoHeapAndResumesOneThatHasOne() throws Exception {
        Path classes = compile("Ticker", TICKER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            new Device(new DeviceConfig().app(TestHeaps.app("ticker-whole")), store, console(whole))
                    .run(List.of(classes), "Ticker", List.of("30"));

            String app = TestHeaps.app("ticker-again");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a"), store, console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.runOrResume(List.of(classes), "Ticker", List.of("30")));
            awaitOutput(first, "tick 10 ");
            a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);

            // the same device comes back (a restarted container): the same call goes on, it does not start over
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Device again = new Device(new DeviceConfig().app(app).deviceName("a"), store, console(second));
            assertThat(again.runOrResume(List.of(classes), "Ticker", List.of("30"))).isZero();
            assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                    .isEqualTo(whole.toString(StandardCharsets.UTF_8));
            // an app that ended cannot go on
            assertThatThrownBy(() -> new Device(new DeviceConfig().app(app).deviceName("a"), store, console(new ByteArrayOutputStream()))
                    .runOrResume(List.of(classes), "Ticker", List.of("30"))).isInstanceOf(DeviceException.class)
                    .hasMessageContaining("nothing to resume");
        }
    }

    /**
     * The defect: running an app again after it ended said "already has a heap; resume it", and resuming it then
     * said there was nothing to resume. Both now say the app ended and how to run it again, and change nothing.
     */
    @Test
    void anAppThatEndedIsNeitherRunAgainNorResumedAndTheErrorSaysHowToRunItAgain() throws Exception {
        List<Path> classes = List.of(compile("Steps", STEPS), apiClasses());
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("ended");
            // it checkpoints as it goes (as every app on a heap server does, every 10 s), then ends
            Device first = new Device(new DeviceConfig().app(app), store, console(new ByteArrayOutputStream()));
            assertThat(first.run(classes, "Steps", List.of("2"))).isZero();
            long end = first.lastCheckpointId();
            assertThat(end).as("the checkpoint the end committed").isPositive();

            String howToRunAgain = "to run it again delete it first: ./vheap delete-app --app " + app + ", or run it under another --app name";
            assertThatThrownBy(() -> new Device(new DeviceConfig().app(app), store, console(new ByteArrayOutputStream()))
                    .run(classes, "Steps", List.of("2"))).isInstanceOf(DeviceException.class)
                    .hasMessage("app " + app + " ended (its newest checkpoint " + end + " holds no VM state): nothing to resume; "
                            + howToRunAgain);
            assertThatThrownBy(() -> new Device(new DeviceConfig().app(app), store, console(new ByteArrayOutputStream()))
                    .resume(0)).isInstanceOf(DeviceException.class)
                    .hasMessage("app " + app + " ended (its checkpoint " + end + " holds no VM state): nothing to resume; "
                            + howToRunAgain);
            // refused: the heap is as the end left it
            try (HeapSession after = store.openHeap(
                    new OpenRequest(app, "another", false, 0, Duration.ZERO, 0))) {
                assertThat(after.baseCheckpointId()).isEqualTo(end);
            }
        }
    }

    @Test
    void producerAndConsumerWaitingOnAMonitorResumeWhereTheyStopped() throws Exception {
        Path classes = compile("ProducerConsumer", Files.readString(SAMPLES.resolve("ProducerConsumer.java")));
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(TestHeaps.app("pc-whole")).quantum(500), store, console(whole))
                    .run(List.of(classes), "ProducerConsumer", List.of("300"))).isZero();

            String app = TestHeaps.app("pc");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a").quantum(500), store, console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "ProducerConsumer", List.of("300")));
            awaitOutput(first, "got 100 ");
            a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app).deviceName("b").quantum(500), store, console(second)).resume(0)).isZero();
            assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                    .isEqualTo(whole.toString(StandardCharsets.UTF_8));
            assertThat(second.toString(StandardCharsets.UTF_8)).contains("sum 44850 producer alive false");
        }
    }

    @Test
    void everyRetainedCheckpointResumesToTheSameEnd() throws Exception {
        Path classes = compile("Steps", STEPS);
        List<Path> cp = List.of(classes, apiClasses());
        try (MemoryHeapStore store = new MemoryHeapStore(java.time.Clock.systemUTC(), 100, Duration.ofSeconds(30))) {
            String app = TestHeaps.app("steps");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertThat(new Device(new DeviceConfig().app(app), store, new DeviceConsole(new ByteArrayInputStream(new byte[0]), o, e))
                    .run(cp, "Steps", List.of("6"))).isZero();
            String whole = out.toString(StandardCharsets.UTF_8);
            List<Long> ids = err.toString(StandardCharsets.UTF_8).lines().map(l -> Long.parseLong(l.substring("checkpoint ".length()))).toList();
            assertThat(ids).hasSize(6).doesNotHaveDuplicates();
            String[] lines = whole.split("\n");
            for (int k = 0; k < ids.size(); k++) {
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                ByteArrayOutputStream againErr = new ByteArrayOutputStream();
                PrintStream ao = new PrintStream(again, true, StandardCharsets.UTF_8);
                PrintStream ae = new PrintStream(againErr, true, StandardCharsets.UTF_8);
                Device d = new Device(new DeviceConfig().app(app).deviceName("b" + k), store,
                        new DeviceConsole(new ByteArrayInputStream(new byte[0]), ao, ae));
                assertThat(d.resume(ids.get(k))).isZero();
                // the resumed app goes on just after the Checkpoint.now() that took checkpoint k, which returns k's id
                String expected = String.join("\n", java.util.Arrays.copyOfRange(lines, k + 1, lines.length)) + "\n";
                assertThat(again.toString(StandardCharsets.UTF_8)).as("resumed from checkpoint %d", ids.get(k)).isEqualTo(expected);
                assertThat(againErr.toString(StandardCharsets.UTF_8)).startsWith("checkpoint " + ids.get(k) + "\n");
            }
        }
    }

    @Test
    void aLeaseOnAResourceTheNewDeviceLacksIsLostAndTheAppTakesAnother() throws Exception {
        Path classes = compile("SensorLogger", Files.readString(SAMPLES.resolve("SensorLogger.java")));
        List<Path> cp = List.of(classes, apiClasses());
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("sensor");
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            Device a = new Device(new DeviceConfig().app(app).deviceName("a").resources(List.of("console", "sensor:temperature")),
                    store, console(first));
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(cp, "SensorLogger", List.of("30", "5")));
            awaitOutput(first, "\n5 sensor:temperature ");
            a.suspend(Duration.ofSeconds(30));
            assertThat(run.get()).isEqualTo(Device.SUSPENDED);
            assertThat(first.toString(StandardCharsets.UTF_8)).startsWith("using sensor:temperature\n1 sensor:temperature ");

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            Device b = new Device(new DeviceConfig().app(app).deviceName("b").resources(List.of("sensor:humidity")), store,
                    console(second));
            assertThat(b.resume(0)).isZero();
            String after = second.toString(StandardCharsets.UTF_8);
            assertThat(after).contains("using sensor:humidity\n").contains("30 sensor:humidity ")
                    .doesNotContainPattern("(?m)^\\d+ sensor:temperature ");
            // the listener hears of the loss on its own thread, so wait for it a little if needed
            assertThat(after).contains("lease lost: sensor:temperature is not on this device");

            // the same app resumed where the resource exists keeps its lease: a device with the temperature sensor
            String app2 = TestHeaps.app("sensor-kept");
            ByteArrayOutputStream o1 = new ByteArrayOutputStream();
            Device c = new Device(new DeviceConfig().app(app2).deviceName("c").resources(List.of("sensor:temperature")), store, console(o1));
            CompletableFuture<Integer> run2 = CompletableFuture.supplyAsync(() -> c.run(cp, "SensorLogger", List.of("20", "5")));
            awaitOutput(o1, "\n3 sensor:temperature ");
            c.suspend(Duration.ofSeconds(30));
            run2.get();
            ByteArrayOutputStream o2 = new ByteArrayOutputStream();
            assertThat(new Device(new DeviceConfig().app(app2).deviceName("d").resources(List.of("sensor:temperature")), store,
                    console(o2)).resume(0)).isZero();
            assertThat(o2.toString(StandardCharsets.UTF_8)).contains("20 sensor:temperature ").doesNotContain("lease lost").doesNotContain("using");
        }
    }

    private static final String FILLER = """
            public class Filler {
                public static void main(String[] a) throws Exception {
                    int n = Integer.parseInt(a[0]);
                    long[][] rows = new long[n][];
                    long sum = 0;
                    for (int i = 0; i < n; i++) {
                        rows[i] = new long[500];
                        for (int j = 0; j < 500; j++) rows[i][j] = (long) i * j + 1;
                        if (i % 20 == 19) Thread.sleep(2);
                    }
                    System.out.println("filled");
                    Thread.sleep(200);
                    for (long[] r : rows) for (long v : r) sum += v;
                    System.out.println("sum " + sum);
                }
            }
            """;

    /** Records the lines each checkpoint committed. */
    static final class CommittedLines implements DeviceEvents {
        final java.util.List<Integer> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            this.lines.add(lines);
        }

        @Override
        public void checkpointFailed(String why) {
        }
    }

    @Test
    void preflushingWritesDirtyLinesAheadSoTheCheckpointCommitsFewerAndResumeSeesThemAll() throws Exception {
        Path classes = compile("Filler", FILLER);
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            int[] committed = new int[2];
            String[] outputs = new String[2];
            for (int k = 0; k < 2; k++) {
                int preflush = k == 0 ? 0 : 16;
                String app = TestHeaps.app("filler-" + preflush);
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                CommittedLines events = new CommittedLines();
                Device a = new Device(new DeviceConfig().app(app).memoryBytes(16 << 20).preflushLines(preflush), store,
                        console(first), new org.vheap.device.vm.loader.ParsedClasses(), events);
                CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Filler", List.of("2000")));
                awaitOutput(first, "filled\n");
                a.suspend(Duration.ofSeconds(30));
                assertThat(run.get()).isEqualTo(Device.SUSPENDED);
                committed[k] = events.lines.get(0);
                ByteArrayOutputStream second = new ByteArrayOutputStream();
                assertThat(new Device(new DeviceConfig().app(app).deviceName("b"), store, console(second)).resume(0)).isZero();
                outputs[k] = first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8);
            }
            assertThat(outputs[1]).isEqualTo(outputs[0]).contains("sum ");
            // about 2000 rows of 4 KiB are dirtied; with pre-flushing most of them were written before the suspend
            assertThat(committed[0]).isGreaterThan(1000);
            assertThat(committed[1]).isLessThan(committed[0] / 2);
        }
    }

    private static final String PATIENT = """
            import org.vheap.api.*;
            public class Patient {
                public static void main(String[] a) throws Exception {
                    Checkpoint.addListener(new CheckpointListener() {
                        public void checkpointFailed(String reason) { System.out.println("heard: failed"); }
                        public void checkpointed(long id) { System.out.println("heard: checkpointed " + id); }
                    });
                    System.out.println("before");
                    long id = Checkpoint.now();
                    System.out.println("after " + id);
                    Thread.sleep(300); // the listener thread delivers
                }
            }
            """;

    /** A store whose first commits fail as if the server were unreachable. */
    static final class CommitsFailFirst implements org.vheap.device.store.HeapStore {
        final MemoryHeapStore inner = new MemoryHeapStore();
        final java.util.concurrent.atomic.AtomicInteger failuresLeft;

        CommitsFailFirst(int failures) {
            failuresLeft = new java.util.concurrent.atomic.AtomicInteger(failures);
        }

        @Override
        public org.vheap.device.store.HeapSession openHeap(org.vheap.device.store.OpenRequest request) {
            return new org.vheap.device.store.ForwardingSession(inner.openHeap(request)) {
                @Override
                public long commit(List<org.vheap.store.LineImage> writes, long[] deletes, byte[] vmState,
                                   java.util.Map<String, String> metadata) {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new org.vheap.store.StoreException(org.vheap.store.StoreException.Reason.UNAVAILABLE,
                                "the heap server is unreachable (test)");
                    }
                    return super.commit(writes, deletes, vmState, metadata);
                }
            };
        }

        @Override
        public org.vheap.device.store.SystemBlobStore systemBlobs(String app) {
            return inner.systemBlobs(app);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aCheckpointThatCannotReachTheStorePausesTheAppUntilItIsBackAndTheAppHearsOfIt() throws Exception {
        Path classes = compile("Patient", PATIENT);
        try (CommitsFailFirst store = new CommitsFailFirst(3)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            DeviceEvents events = new DeviceEvents() {
                @Override
                public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
                }

                @Override
                public void checkpointFailed(String why) {
                    failures.add(why);
                }
            };
            Device d = new Device(new DeviceConfig().app(TestHeaps.app("patient")), store, console(out),
                    new org.vheap.device.vm.loader.ParsedClasses(), events);
            assertThat(d.run(List.of(classes, apiClasses()), "Patient", List.of())).isZero();
            assertThat(failures).hasSize(3).allMatch(f -> f.contains("unreachable"));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).startsWith("before\n").containsPattern("after [1-9]\\d*\n")
                    .contains("heard: failed").contains("heard: checkpointed");
        }
    }
}
