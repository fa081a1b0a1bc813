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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.store.ForwardingSession;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.ManualClock;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.store.SystemBlobStore;
import org.vheap.device.vm.heap.CollectionLog;
import org.vheap.device.store.SessionProbe;
import org.vheap.device.vm.heap.CollectorProbe;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.proto.v1.Quota;
import org.vheap.proto.v1.SetQuotaRequest;
import org.vheap.server.testing.TestHeaps;
import org.vheap.store.LineImage;
import org.vheap.store.StoreException;

class DeviceTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    /** Counts for ever, a line every 20 ms, keeping its count in the heap. */
    private static final String TICKER = """
            public class Ticker {
                public static void main(String[] args) throws Exception {
                    long[] counts = new long[4096];
                    for (int i = 1; ; i++) {
                        counts[i % counts.length] = i;
                        System.out.println(i);
                        Thread.sleep(20);
                    }
                }
            }
            """;

    private static final String WALKER = """
            public class Walker {
                public static void main(String[] args) {
                    long[][] data = new long[512][];
                    for (int i = 0; i < data.length; i++) { data[i] = new long[1000]; data[i][7] = i; }
                    long sum = 0;
                    for (int round = 0; round < Integer.parseInt(args[0]); round++) {
                        for (long[] d : data) { sum += d[7]; d[999] = round; }
                    }
                    System.out.println(sum);
                }
            }
            """;

    private static Path compileWalker() throws Exception {
        return compile("Walker", WALKER);
    }

    private static Path compile(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory("vheap-device-test");
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, source);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString())).isZero();
        return dir;
    }

    /** Waits (at most a minute) until the app has printed {@code lines} lines, or {@code done} says stop. */
    private static void awaitLines(ByteArrayOutputStream out, int lines, java.util.function.BooleanSupplier done,
                                   CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (out.toString(StandardCharsets.UTF_8).lines().count() < lines && !done.getAsBoolean()) {
            if (run.isDone()) {
                throw new AssertionError("the app ended early (exit " + run.get() + "): " + out.toString(StandardCharsets.UTF_8));
            }
            assertThat(System.nanoTime()).as("the app printed %d lines in time", lines).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * The defect: a device run with default options took no checkpoint unless asked, so a crash lost all the
     * app had done. With default options on a store that persists (the real heap server), once 10 s of device
     * time have passed the device checkpoints on its own; a device abandoned then (stopped without a suspend or a
     * checkpoint of its own, as a crash leaves it) has left a checkpoint with the app's VM state to resume from.
     */
    @Test
    void withDefaultOptionsADeviceOnAServerCheckpointsEveryTenSecondsSoACrashLosesAtMostThat() throws Exception {
        Path classes = compile("Ticker", TICKER);
        String app = TestHeaps.app("ticker");
        ManualClock clock = ManualClock.followingHost();
        List<String> checkpoints = new CopyOnWriteArrayList<>();
        DeviceEvents events = new DeviceEvents() {
            @Override
            public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
                checkpoints.add(checkpointId + " " + reason);
            }

            @Override
            public void checkpointFailed(String why) {
            }
        };
        DeviceConfig defaults = new DeviceConfig().app(app);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Device device = new Device(defaults, SERVER.store(), console(out), new ParsedClasses(), events,
                new DeviceResources(defaults.deviceName(), defaults.resources()), clock);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> device.run(List.of(classes), "Ticker", List.of()));
        awaitLines(out, 5, () -> false, run);
        assertThat(checkpoints).as("none before the interval").isEmpty();

        clock.advance(Duration.ofSeconds(11));
        int printed = (int) out.toString(StandardCharsets.UTF_8).lines().count();
        awaitLines(out, printed + 50, () -> !checkpoints.isEmpty(), run);   // 50 lines: a second of safepoints
        device.stop();   // abandoned: no suspend, no checkpoint of its own
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);

        assertThat(checkpoints).as("the periodic checkpoint").hasSize(1).allMatch(c -> c.endsWith(" policy"));
        try (HeapSession after = SERVER.store().openHeap(new OpenRequest(app, "another", false, 0, Duration.ZERO, 0))) {
            assertThat(after.baseCheckpointId()).isEqualTo(Long.parseLong(checkpoints.get(0).split(" ")[0]));
            assertThat(after.baseVmState()).as("a VM state to resume from").isNotEmpty();
        }
    }

    private static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    @Test
    void liveDataFourTimesTheMemoryPagesThroughTheStoreAndPrintsTheSame() throws Exception {
        Path classes = compileWalker();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            Device device = new Device(new DeviceConfig().app(TestHeaps.app("walker")).memoryBytes(1L << 20), store, console(out));
            assertThat(device.run(List.of(classes), "Walker", List.of("3"))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo((511L * 512 / 2 * 3) + "\n");
            assertThat(device.stats().peakHeapBytes()).isGreaterThan(4L << 20);
            assertThat(device.stats().misses()).isPositive();
            assertThat(device.stats().linesFlushed()).isPositive();
        }
    }

    /**
     * The apps of one device share its memory: the second app's heap takes the memory the first one's gave back
     * (zeroed), pages through it as the first did, and prints the same; with the device's memory taken at its start,
     * the first app takes no new memory either.
     */
    @Test
    void appsOfOneDeviceRunOneAfterAnotherInTheMemoryTheDeviceHolds() throws Exception {
        Path classes = compileWalker();
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            DeviceConfig base = new DeviceConfig().memoryBytes(1L << 20);
            DeviceResources resources = new DeviceResources(base.deviceName(), base.resources());
            resources.frameMemory().reserve((int) base.heapMemoryBytes(base.lineSize()));
            ParsedClasses parsed = new ParsedClasses();
            for (String app : List.of(TestHeaps.app("first"), TestHeaps.app("second"))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Device device = new Device(base.copy().app(app), store, console(out), parsed, DeviceEvents.none(),
                        resources);
                assertThat(device.run(List.of(classes), "Walker", List.of("3"))).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo((511L * 512 / 2 * 3) + "\n");
                assertThat(device.stats().misses()).isPositive();
                assertThat(resources.frameMemory().idleArrays()).as("given back when %s ended", app).isEqualTo(1);
            }
            assertThat(resources.frameMemory().taken()).isEqualTo(2);
            assertThat(resources.frameMemory().reused()).as("both in the memory reserved").isEqualTo(2);
        }
    }

    @Test
    void aStoreThatGoesAwayEndsTheRunWithAClearDeviceErrorAfterRetries() throws Exception {
        Path classes = compileWalker();
        AtomicReference<TestStores.FlakySession> session = new AtomicReference<>();
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            HeapStore flaky = TestStores.flaky(real, s -> {
                s.downAfterWrites(20);   // the store goes away mid-run
                session.set(s);
            });
            String app = TestHeaps.app("unreachable");
            Device device = new Device(new DeviceConfig().app(app).memoryBytes(256L << 10), flaky, console(new ByteArrayOutputStream()));
            assertThatThrownBy(() -> device.run(List.of(classes), "Walker", List.of("1000000")))
                    .isInstanceOf(DeviceException.class)
                    .hasMessageContaining(app)
                    .hasMessageContaining("attempt");
            assertThat(session.get().refused.get()).isGreaterThanOrEqualTo(4);
        }
    }

    /**
     * A store that goes away mid-run and comes back costs the app a pause it is told about, and nothing else: the
     * device reports the store call that waits (with the store's message) and, when it goes through, that the store
     * is back; the output is the same as on a store that never went away.
     */
    @Test
    void aStoreThatGoesAwayAndComesBackIsAPauseTheDeviceReportsAndTheOutputIsTheSame() throws Exception {
        Path classes = compileWalker();
        AtomicReference<TestStores.FlakySession> session = new AtomicReference<>();
        List<String> heard = new CopyOnWriteArrayList<>();
        DeviceEvents events = new DeviceEvents() {
            @Override
            public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            }

            @Override
            public void checkpointFailed(String why) {
                heard.add("checkpoint failed");
            }

            @Override
            public void storeWaiting(String what, String why, Duration retryFor) {
                heard.add("waiting: " + what.replaceAll("\\[.*", "[..]") + ": " + why + " for " + retryFor);
                session.get().down(false);   // the store comes back while the app waits
            }

            @Override
            public void storeBack(String what, long waitedNanos) {
                heard.add("back: " + what.replaceAll("\\[.*", "[..]"));
            }
        };
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            HeapStore flaky = TestStores.flaky(real, s -> {
                s.downAfterWrites(20);   // the store goes away mid-run
                session.set(s);
            });
            DeviceConfig config = new DeviceConfig().app(TestHeaps.app("away")).memoryBytes(256L << 10)
                    .storeRetryFor(Duration.ofMinutes(1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Device device = new Device(config, flaky, console(out), new ParsedClasses(), events,
                    new DeviceResources(config.deviceName(), config.resources()));
            assertThat(device.run(List.of(classes), "Walker", List.of("3"))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo((511L * 512 / 2 * 3) + "\n");
            assertThat(session.get().refused.get()).isPositive();
            assertThat(heard).hasSize(2);
            assertThat(heard.get(0)).matches("waiting: (read|flush) lines \\[\\.\\.]: test: the store is unreachable \\((read|flush)\\) for PT1M");
            assertThat(heard.get(1)).isEqualTo("back: " + heard.get(0).substring("waiting: ".length(), heard.get(0).indexOf(':', 9)));
        }
    }

    /**
     * An app's quotas on a real heap server: over its calls per second the device waits, says so, and the app runs on
     * to the same output; over its lines the device stops with the store's word for which quota, and the store keeps
     * no more than the quota lets it.
     */
    @Test
    void anAppOverItsCallRateWaitsAndRunsOnAndOneOverItsLinesStopsNamingTheQuota() throws Exception {
        Path classes = compileWalker();
        String slow = TestHeaps.app("quota-rate");
        SERVER.admin(stub -> stub.setQuota(SetQuotaRequest.newBuilder().setApp(slow)
                .setQuota(Quota.newBuilder().setMaxCallsPerSecond(100)).build()));
        List<String> heard = new CopyOnWriteArrayList<>();
        DeviceEvents events = new DeviceEvents() {
            @Override
            public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
            }

            @Override
            public void checkpointFailed(String why) {
            }

            @Override
            public void storeWaiting(String what, String why, Duration retryFor) {
                heard.add(why);
            }
        };
        DeviceConfig config = new DeviceConfig().app(slow).memoryBytes(256L << 10).storeRetryFor(Duration.ofMinutes(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Device device = new Device(config, SERVER.store(), console(out), new ParsedClasses(), events,
                new DeviceResources(config.deviceName(), config.resources()));
        assertThat(device.run(List.of(classes), "Walker", List.of("1"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo((511L * 512 / 2) + "\n");
        assertThat(heard).isNotEmpty().allSatisfy(why -> assertThat(why)
                .contains("app '" + slow + "' is over its quota of 100 calls per second; retry in"));

        String big = TestHeaps.app("quota-lines");
        SERVER.admin(stub -> stub.setQuota(SetQuotaRequest.newBuilder().setApp(big)
                .setQuota(Quota.newBuilder().setMaxLines(64)).build()));
        DeviceConfig bounded = new DeviceConfig().app(big).memoryBytes(256L << 10);
        Device over = new Device(bounded, SERVER.store(), console(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> over.run(List.of(classes), "Walker", List.of("1"))).isInstanceOf(DeviceException.class)
                .hasMessageContaining("RESOURCE_EXHAUSTED: app '" + big + "' is over its quota of 64 lines");
    }

    /**
     * The defect: a device interrupted while it waited for another device's heap lease said "the heap store
     * failed". The store did not fail; the device says it was interrupted waiting, and nothing was opened.
     */
    @Test
    void aDeviceInterruptedWhileWaitingForTheHeapLeaseSaysSoNotThatTheStoreFailed() throws Exception {
        Path classes = compileWalker();
        try (MemoryHeapStore store = new MemoryHeapStore()) {
            String app = TestHeaps.app("waiting");
            DeviceConfig config = new DeviceConfig().app(app).waitForLease(Duration.ofMinutes(1));
            try (HeapSession holder = store.openHeap(OpenRequest.create(app, "other", config.lineSize()))) {
                ManualClock clock = new ManualClock();
                clock.onSleep(n -> Thread.currentThread().interrupt());
                Device device = new Device(config, store, console(new ByteArrayOutputStream()), new ParsedClasses(),
                        DeviceEvents.none(), new DeviceResources(config.deviceName(), config.resources()), clock);
                try {
                    assertThatThrownBy(() -> device.run(List.of(classes), "Walker", List.of("1")))
                            .isInstanceOf(DeviceException.class)
                            .hasMessage("interrupted waiting for the heap lease of app " + app + " (another device holds it)");
                    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
                } finally {
                    Thread.interrupted();
                }
                assertThat(clock.sleeps()).hasSize(1);
                holder.renewLease();   // nothing was taken from the device that holds the heap
            }
        }
    }

    /**
     * The defect: a device whose lease renewal (not a read or a flush) met the newer lease of an heir said only "this
     * device is fenced (another device holds app X now)"; a fenced store call said "taken over by another device or
     * its lease ended". Both ways now say the same, with the store's reason, and the renewal is not retried.
     */
    @Test
    void aDeviceFencedAtItsLeaseRenewalSaysItWasTakenOverLikeAFencedStoreCall() throws Exception {
        Path classes = compileWalker();
        ManualClock clock = new ManualClock();
        AtomicInteger renewals = new AtomicInteger();
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            HeapStore store = wrapping(real, session -> new ForwardingSession(session) {
                @Override
                public void flush(List<LineImage> writes, long[] deletes) {
                    clock.advance(Duration.ofSeconds(1));   // past the next renewal, at every flush
                    real.flush(writes, deletes);
                }

                @Override
                public void renewLease() {
                    renewals.incrementAndGet();
                    throw new StoreException(StoreException.Reason.FENCED, "fencing token 3 is stale: app '"
                            + app() + "' is now leased to device 'heir' under a newer lease; nothing was changed");
                }
            });
            DeviceConfig config = new DeviceConfig().app(TestHeaps.app("renewal-fenced")).memoryBytes(256L << 10)
                    .lease(Duration.ofSeconds(3));
            Device device = new Device(config, store, console(new ByteArrayOutputStream()), new ParsedClasses(),
                    DeviceEvents.none(), new DeviceResources(config.deviceName(), config.resources()), clock);
            assertThatThrownBy(() -> device.run(List.of(classes), "Walker", List.of("20")))
                    .isInstanceOf(DeviceException.class)
                    .hasMessageContaining("this device is fenced; stopping the app here: app '" + config.app()
                            + "' was taken over by another device or its lease ended: fencing token 3 is stale");
            assertThat(renewals).as("fenced is never retried").hasValue(1);
        }
    }

    /**
     * The defect: a device that asked for the server's default lease renewed it every 5 s, as if the default were
     * 30 s: a server whose default is shorter saw the lease end between renewals. It now renews at a third of the
     * lease the store says it granted.
     */
    @Test
    void aDeviceRenewsAtAThirdOfTheLeaseTheStoreGrantedWhenItAskedForTheDefault() throws Exception {
        Path classes = compileWalker();
        ManualClock clock = new ManualClock();
        AtomicInteger renewals = new AtomicInteger();
        AtomicInteger flushes = new AtomicInteger();
        try (MemoryHeapStore real = new MemoryHeapStore()) {
            HeapStore store = wrapping(real, session -> new ForwardingSession(session) {
                @Override
                public void flush(List<LineImage> writes, long[] deletes) {
                    if (flushes.getAndIncrement() == 0) {
                        clock.advance(Duration.ofSeconds(2));
                    }
                    real.flush(writes, deletes);
                }

                @Override
                public void renewLease() {   // 2 s pass from one renewal to the next safepoint's check
                    renewals.incrementAndGet();
                    clock.advance(Duration.ofSeconds(2));
                    real.renewLease();
                }

                @Override
                public Duration leaseGranted() {
                    return Duration.ofSeconds(3);   // a server whose default lease is 3 s
                }
            });
            DeviceConfig config = new DeviceConfig().app(TestHeaps.app("renewal-granted")).memoryBytes(256L << 10);
            assertThat(config.lease()).as("the server's default asked for").isZero();
            Device device = new Device(config, store, console(new ByteArrayOutputStream()), new ParsedClasses(),
                    DeviceEvents.none(), new DeviceResources(config.deviceName(), config.resources()), clock);
            device.run(List.of(classes), "Walker", List.of("20"));
            // 2 s after the first flush and after each renewal: due every second (a third of 3 s), never every 5 s
            assertThat(flushes.get()).isPositive();
            assertThat(renewals.get()).as("renewals at the safepoints after the first flush").isGreaterThanOrEqualTo(2);
        }
    }

    /** {@code real}, each session it opens wrapped by {@code wrap}; its class files and its closing are its own. */
    private static HeapStore wrapping(HeapStore real, java.util.function.UnaryOperator<HeapSession> wrap) {
        return new HeapStore() {
            @Override
            public HeapSession openHeap(OpenRequest request) {
                return wrap.apply(real.openHeap(request));
            }

            @Override
            public SystemBlobStore systemBlobs(String app) {
                return real.systemBlobs(app);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Garbage-heavy: trees built and dropped every round, a little kept for ever, a checksum of what is kept. */
    private static final String CHURN = """
            import java.util.*;
            public class Churn {
                static final class Node { Node left, right; int value; }
                static Node tree(int depth, int value) {
                    Node n = new Node();
                    n.value = value;
                    if (depth > 0) { n.left = tree(depth - 1, 2 * value); n.right = tree(depth - 1, 2 * value + 1); }
                    return n;
                }
                static long sum(Node n) { return n == null ? 0 : n.value + sum(n.left) + sum(n.right); }
                public static void main(String[] a) throws Exception {
                    List<long[]> kept = new ArrayList<>();
                    for (int round = 1; round <= Integer.parseInt(a[0]); round++) {
                        long trees = 0;
                        for (int t = 0; t < 40; t++) trees += sum(tree(8, round + t));
                        long[] k = new long[64];
                        Arrays.fill(k, trees);
                        kept.add(k);
                        long check = 0;
                        for (long[] x : kept) check = check * 31 + x[63];
                        System.out.println("round " + round + " trees " + trees + " kept " + check);
                    }
                }
            }
            """;

    /**
     * Lines a collection frees whole are dropped, deleted from the real heap server with the next flush or
     * checkpoint, and zero-filled when allocated again; an app suspended amid that and resumed on another device
     * prints what an uninterrupted run prints (a deleted line never comes back as the old garbage).
     */
    @Test
    void garbageLinesAreDiscardedAndDeletedAndAResumedAppStillSeesItsHeapExactly() throws Exception {
        Path classes = compile("Churn", CHURN);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        // without a nursery, so the garbage reaches the user heap for the full collections to free
        DeviceStats st = runAlone(classes, "60", new DeviceConfig().app(TestHeaps.app("churn-whole")).nurseryBytes(0), whole);
        assertThat(st.collections()).isPositive();
        assertThat(st.minorCollections()).as("no nursery, no minor collection").isZero();
        assertThat(st.collectionPauseNanos()).as("a pause per collection").hasSize((int) st.collections());
        assertThat(java.util.Arrays.stream(st.collectionPauseNanos()).min().orElse(0)).as("the shortest pause").isPositive();
        assertThat(st.linesDiscarded()).as("lines freed whole by collections").isPositive();
        assertThat(st.linesDeleted()).as("of them, lines the store held").isPositive();

        String app = TestHeaps.app("churn");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(256 << 10), SERVER.store(), console(first));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Churn", List.of("60")));
        ResumeTest.awaitOutput(first, "round 30 ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);

        assertThat(a.stats().minorCollections()).as("the suspended run (default nursery) promoted").isPositive();

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(192 << 10), SERVER.store(), console(second));
        assertThat(b.resume(0)).isZero();
        assertThat(b.stats().collections()).as("the resumed run collects too").isPositive();
        assertThat(b.stats().minorCollections()).as("and its nursery too").isPositive();
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole.toString(StandardCharsets.UTF_8));
    }

    /**
     * With young collections (the Churn's trees outgrow the default 32 KiB nursery, so they are promoted and die in
     * young lines): the write barrier verified before every minor and young collection in a run with room to spare;
     * then an app suspended amid young collections and resumed on another device (whose young lines start empty)
     * prints what an uninterrupted run prints, and young collections freed garbage that full collections alone did
     * not, so the heap peaked lower.
     */
    @Test
    void withYoungCollectionsTheBarrierHoldsAndAResumedAppPrintsTheSame() throws Exception {
        Path classes = compile("Churn", CHURN);
        ByteArrayOutputStream verified = new ByteArrayOutputStream();
        try (MemoryHeapStore memoryStore = new MemoryHeapStore()) {
            Device checked = new Device(new DeviceConfig().app(TestHeaps.app("churn-young-verified")).memoryBytes(1 << 20)
                    .nurseryBytes(16 << 10).youngCollections(true).verifyWriteBarrier(true)
                    .checkpointInterval(Duration.ZERO), memoryStore, console(verified));
            assertThat(checked.run(List.of(classes), "Churn", List.of("30"))).isZero();
            assertThat(checked.stats().youngCollections()).as("young collections, each verified").isPositive();
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        DeviceStats old = runAlone(classes, "60", new DeviceConfig().app(TestHeaps.app("churn-young-whole")), whole);
        assertThat(verified.toString(StandardCharsets.UTF_8)).isEqualTo(whole.toString(StandardCharsets.UTF_8)
                .substring(0, verified.size()));

        String app = TestHeaps.app("churn-young");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(256 << 10).youngCollections(true)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(first));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Churn", List.of("60")));
        ResumeTest.awaitOutput(first, "round 30 ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        assertThat(a.stats().youngCollections()).as("young collections before the suspension").isPositive();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(256 << 10).youngCollections(true)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(second));
        assertThat(b.resume(0)).isZero();
        assertThat(b.stats().youngCollections()).as("young collections after the resume").isPositive();
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole.toString(StandardCharsets.UTF_8));
        // young collections free the promoted trees that died, in whole lines, where full collections alone free
        // nothing here (the heap never fills enough for one), so the heap peaks lower; whether that writes fewer
        // lines in all depends on the program: with eviction's walk policy, full collections alone wrote 530-580
        // lines of this run, young collections 550-650
        assertThat(old.linesDiscarded()).isZero();
        assertThat(a.stats().linesDiscarded() + b.stats().linesDiscarded()).as("lines young collections freed whole")
                .isPositive();
        assertThat(Math.max(a.stats().peakHeapBytes(), b.stats().peakHeapBytes())).as("the young runs' peak heap")
                .isLessThan(old.peakHeapBytes());
    }

    /**
     * With working sets, an app collects groups of them, is suspended amid that and resumed on another device, whose
     * remembered sets are not in the checkpoint: its first collection of the user heap is full (it rebuilds them),
     * then groups again, and the two runs print what an uninterrupted run prints.
     */
    @Test
    void withWorkingSetsAResumedAppCollectsInFullFirstThenByWorkingSetsAndPrintsTheSame() throws Exception {
        Path classes = compile("Churn", CHURN);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        runAlone(classes, "60", new DeviceConfig().app(TestHeaps.app("churn-ws-whole")).nurseryBytes(0), whole);

        String app = TestHeaps.app("churn-ws");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(256 << 10).nurseryBytes(0)
                .workingSetBytes(64 << 10), SERVER.store(), console(first));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Churn", List.of("60")));
        ResumeTest.awaitOutput(first, "round 30 ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        assertThat(a.stats().workingSetCollections()).as("working sets' collections before the suspension").isPositive();

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(256 << 10).nurseryBytes(0)
                .workingSetBytes(64 << 10), SERVER.store(), console(second));
        assertThat(b.resume(0)).isZero();
        List<CollectionLog.Kind> kinds = b.stats().collectionLog().entries().stream().map(CollectionLog.Entry::kind).toList();
        assertThat(kinds).as("the resumed run's collections").isNotEmpty().startsWith(CollectionLog.Kind.FULL)
                .contains(CollectionLog.Kind.WORKING_SET);
        assertThat(b.stats().collectionLog().entries()).as("groups that faulted more than their lines and remembered lines")
                .noneMatch(e -> e.faultBound() >= 0 && e.linesFaulted() > e.faultBound());
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole.toString(StandardCharsets.UTF_8));
    }

    /**
     * A long-running allocation-heavy app keeps its store bounded: the lines its collections free are deleted, so
     * the newest checkpoint holds about what is live, not every line the heap ever wrote. Churn keeps 60 x 528
     * bytes (about 8 lines) and drops some 30 MiB of trees.
     */
    @Test
    void aLongRunningAllocationHeavyAppKeepsItsStoreBounded() throws Exception {
        Path classes = compile("Churn", CHURN);
        String app = TestHeaps.app("churn-bounded");
        // without a nursery: every tree reaches the user heap, and only the full collections' deletes bound the store
        Device device = new Device(new DeviceConfig().app(app).memoryBytes(256 << 10).nurseryBytes(0)
                .checkpointAfterCollection(true), SERVER.store(), console(new ByteArrayOutputStream()));
        assertThat(device.run(List.of(classes), "Churn", List.of("60"))).isZero();
        DeviceStats st = device.stats();
        CheckpointInfo newest = SERVER.admin(stub -> stub.listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app)
                .build()).getCheckpoints(0));
        long lineSize = new DeviceConfig().lineSize();
        assertThat(st.collections()).as("collections").isGreaterThan(3);
        // the lines holding what is not yet collected, plus a few part-filled ones; before garbage lines were
        // deleted it held every line the heap ever reached (about peak / line size: some 1,000 here)
        assertThat(newest.getLineCount()).as("lines of the newest checkpoint (heap in use %d bytes, peak %d)",
                st.heapBytesUsed(), st.peakHeapBytes()).isLessThanOrEqualTo(st.heapBytesUsed() / lineSize + 16);
        assertThat(newest.getLineCount() * 4).isLessThan(st.peakHeapBytes() / lineSize);
    }

    /**
     * With the nursery (the default), most of the same app's trees die there, never written to a line: far fewer
     * lines go to the store and fewer are faulted, and the output is the same. (The write barrier is checked in the
     * conformance suite's resident runs: checking it walks the whole heap, which would page here.)
     */
    @Test
    void withTheNurseryMostGarbageNeverReachesTheStore() throws Exception {
        Path classes = compile("Churn", CHURN);
        ByteArrayOutputStream without = new ByteArrayOutputStream();
        DeviceStats off = runAlone(classes, "40", new DeviceConfig().app(TestHeaps.app("churn-no-nursery")).nurseryBytes(0), without);
        ByteArrayOutputStream with = new ByteArrayOutputStream();
        DeviceStats st = runAlone(classes, "40", new DeviceConfig().app(TestHeaps.app("churn-nursery")), with);
        assertThat(with.toString(StandardCharsets.UTF_8)).isEqualTo(without.toString(StandardCharsets.UTF_8));
        assertThat(st.nurseryBytes()).as("an eighth of the memory").isEqualTo(32 << 10);
        assertThat(st.minorCollections()).as("minor collections").isGreaterThan(10);
        assertThat(st.minorPauseNanos()).hasSize((int) st.minorCollections());
        long writtenOff = off.linesFlushed() + off.linesPreflushed();
        assertThat(st.linesFlushed() + st.linesPreflushed()).as("lines written with the nursery, %d without", writtenOff)
                .isLessThan(writtenOff / 3);
        assertThat(st.misses()).as("misses with the nursery, %d without", off.misses()).isLessThan(off.misses() / 2);
    }

    /** Runs Churn for {@code rounds} on the server with 256 KiB of memory and no periodic checkpoint; its stats. */
    /** A cache whose entries are replaced at random (they outlive the nursery and die scattered); prints each round. */
    private static final String CACHE = """
            public class Cache {
                static final class Entry { final int key; final long[] payload = new long[4]; Entry(int k, int v) { key = k; payload[0] = (long) k * 31 + v; } }
                public static void main(String[] a) throws Exception {
                    Entry[] cache = new Entry[6000];
                    java.util.Random random = new java.util.Random(5);
                    Object lock = new Object();
                    int hash = System.identityHashCode(lock);
                    for (int round = 1; round <= Integer.parseInt(a[0]); round++) {
                        for (int i = 0; i < 3000; i++) { int k = random.nextInt(cache.length); cache[k] = new Entry(k, round); }
                        long sum = 0;
                        for (Entry e : cache) { if (e != null) { sum += e.payload[0] + e.key; } }
                        System.out.println("round " + round + " " + sum + (System.identityHashCode(lock) == hash ? "" : " moved hash"));
                        Thread.sleep(10);
                    }
                }
            }
            """;

    /**
     * The crash tests' probe ({@code --crash-at}) is told of every minor collection half way, every object promoted
     * and every full and young collection after its marking: as often as the collections ran.
     */
    @Test
    void collectionsPassTheirCrashPointsAsOftenAsTheyRun() throws Exception {
        Path classes = compile("Cache", CACHE);
        java.util.Map<CollectorProbe.Point, Long> passed = new java.util.EnumMap<>(CollectorProbe.Point.class);
        Device d = new Device(new DeviceConfig().app(TestHeaps.app("probed")).memoryBytes(512 << 10)
                .maxHeapBytes(2 << 20).checkpointInterval(Duration.ZERO)
                .collectorProbe(point -> passed.merge(point, 1L, Long::sum)), SERVER.store(), console(new ByteArrayOutputStream()));
        assertThat(d.run(List.of(classes), "Cache", List.of("10"))).isZero();
        DeviceStats st = d.stats();
        assertThat(passed.get(CollectorProbe.Point.MINOR)).isEqualTo(st.minorCollections()).isGreaterThan(10);
        assertThat(passed.get(CollectorProbe.Point.FULL)).isEqualTo(st.collectionLog().count(CollectionLog.Kind.FULL))
                .isPositive();
        // objects of 16 bytes at least, so at most a sixteenth of the bytes promoted
        assertThat(passed.get(CollectorProbe.Point.PROMOTION)).isPositive().isLessThanOrEqualTo(st.bytesPromoted() / 16);
        assertThat(passed).doesNotContainKey(CollectorProbe.Point.YOUNG);

        passed.clear();
        Device young = new Device(new DeviceConfig().app(TestHeaps.app("probed-young")).memoryBytes(512 << 10)
                .maxHeapBytes(2 << 20).checkpointInterval(Duration.ZERO).youngCollections(true)
                .collectorProbe(point -> passed.merge(point, 1L, Long::sum)), SERVER.store(), console(new ByteArrayOutputStream()));
        assertThat(young.run(List.of(classes), "Cache", List.of("10"))).isZero();
        assertThat(passed.get(CollectorProbe.Point.YOUNG)).isEqualTo(young.stats().youngCollections()).isPositive();
    }

    /**
     * The crash tests' probe is told of every flush the store acknowledged (before the lines are clean), every
     * pre-flush acknowledged, and every checkpoint committed (before the app is told): as often as the device wrote.
     */
    @Test
    void writesPassTheirCrashPointsAsOftenAsTheyRun() throws Exception {
        Path classes = compile("Cache", CACHE);
        java.util.Map<SessionProbe.Point, Long> passed = new java.util.concurrent.ConcurrentHashMap<>();
        Device d = new Device(new DeviceConfig().app(TestHeaps.app("probed-writes")).memoryBytes(512 << 10)
                .maxHeapBytes(2 << 20).checkpointInterval(Duration.ofMillis(50)).preflushLines(8)
                .sessionProbe(point -> passed.merge(point, 1L, Long::sum)), SERVER.store(), console(new ByteArrayOutputStream()));
        assertThat(d.run(List.of(classes), "Cache", List.of("10"))).isZero();
        assertThat(passed.get(SessionProbe.Point.COMMIT)).as("checkpoints, the app's end's included").isGreaterThan(1);
        assertThat(passed.get(SessionProbe.Point.FLUSH)).as("flushes (evictions)").isPositive()
                .isLessThanOrEqualTo(d.stats().evictions());
        assertThat(passed.get(SessionProbe.Point.PREFLUSH)).isPositive();
    }

    @Test
    void aCrashPointStopsTheVmsThreadAtTheNthPassAndSaysSo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CrashPoint crash = CrashPoint.parse("promotion:3", new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread vm = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                crash.passed(CollectorProbe.Point.MINOR);
                crash.passed(CollectorProbe.Point.PROMOTION);
            }
        });
        vm.setDaemon(true);   // it never returns: only killing the process ends it
        vm.start();
        ResumeTest.awaitOutput(err, "crash point promotion #3 reached");
        vm.interrupt();
        Thread.sleep(50);
        assertThat(vm.isAlive()).isTrue();
        assertThat(vm.getState()).isEqualTo(Thread.State.WAITING);
        CrashPoint commit = CrashPoint.parse("commit:2", new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread writer = new Thread(() -> {
            commit.passed(SessionProbe.Point.FLUSH);
            commit.passed(SessionProbe.Point.COMMIT);
            commit.passed(SessionProbe.Point.COMMIT);
        });
        writer.setDaemon(true);
        writer.start();
        ResumeTest.awaitOutput(err, "crash point commit #2 reached");
        for (String bad : List.of("promotion", "promotion:0", "sweep:2", ":4", "minor:x")) {
            assertThatThrownBy(() -> CrashPoint.parse(bad, System.err)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--crash-at takes POINT:N");
        }
    }

    /**
     * Compaction across a migration: an app whose full collections compact its heap (a 2 MiB heap, so they come often)
     * is suspended after some, resumed on another device that compacts too, and prints what one device printed alone
     * without compaction; objects moved before the checkpoint and after the resume.
     */
    @Test
    void aCompactingAppSuspendedAndResumedElsewherePrintsWhatANonCompactingOneDoes() throws Exception {
        Path classes = compile("Cache", CACHE);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        Device alone = new Device(new DeviceConfig().app(TestHeaps.app("cache-whole")).memoryBytes(512 << 10)
                .maxHeapBytes(2 << 20).compaction(false).checkpointInterval(Duration.ZERO), SERVER.store(), console(whole));
        assertThat(alone.run(List.of(classes), "Cache", List.of("40"))).isZero();
        assertThat(alone.stats().bytesCompacted()).isZero();

        String app = TestHeaps.app("cache-compacting");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(512 << 10).maxHeapBytes(2 << 20)
                .compaction(true), SERVER.store(), console(first));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Cache", List.of("40")));
        ResumeTest.awaitOutput(first, "round 25 ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        assertThat(a.stats().bytesCompacted()).as("bytes moved before the suspension").isPositive();

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(512 << 10).maxHeapBytes(2 << 20)
                .compaction(true), SERVER.store(), console(second));
        assertThat(b.resume(0)).isZero();
        assertThat(b.stats().bytesCompacted()).as("bytes moved after the resume").isPositive();
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole.toString(StandardCharsets.UTF_8)).doesNotContain("moved hash");
    }

    private static DeviceStats runAlone(Path classes, String rounds, DeviceConfig config, ByteArrayOutputStream out) {
        Device device = new Device(config.memoryBytes(256 << 10).checkpointInterval(Duration.ZERO), SERVER.store(), console(out));
        assertThat(device.run(List.of(classes), "Churn", List.of(rounds))).isZero();
        return device.stats();
    }
}
