package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.flash.FlashFrontedStore;
import org.vheap.device.store.flash.FlashStoreConfig;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.server.testing.TestHeaps;

/**
 * Devices with their flash in front of a real heap server ({@code --store flash:DIR --server HOST:PORT}): an app
 * migrates from such a device to one on the server alone and back, printing what an uninterrupted run prints, and its
 * evictions stayed on the device.
 */
class FlashFrontedDeviceTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    @TempDir
    Path dir;

    /** Allocates in a tight memory, so lines are evicted and faulted back, and prints a digest of what it keeps. */
    private static final String KEEPER = """
            import java.util.*;
            public class Keeper {
                public static void main(String[] a) {
                    int n = Integer.parseInt(a[0]);
                    List<long[]> kept = new ArrayList<>();
                    long digest = 0;
                    for (int i = 0; i < n; i++) {
                        long[] block = new long[300];
                        for (int k = 0; k < block.length; k++) block[k] = (long) i * k;
                        kept.add(block);
                        for (long[] b : kept) { b[i % 300] += i; digest = digest * 31 + b[i % 300]; }
                        System.out.println("step " + i + " " + kept.size() + " " + digest);
                    }
                    System.out.println("done " + digest);
                }
            }
            """;

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private FlashFrontedStore fronted(AtomicReference<TestStores.FlakySession> remote) {
        return FlashFrontedStore.open(dir, new FlashStoreConfig().blockSize(4096), java.time.Clock.systemUTC(),
                TestStores.flaky(SERVER.store(), remote::set), SERVER.target());
    }

    private static Device device(String app, String name, HeapStore store, ByteArrayOutputStream out) {
        return new Device(new DeviceConfig().app(app).deviceName(name).memoryBytes(128L << 10), store,
                ResumeTest.console(out));
    }

    /** What Keeper prints run whole on the server alone: what every run taken apart must print, joined. */
    private static String uninterrupted(Path classes) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        assertThat(device(TestHeaps.app("keeper-whole"), "w", SERVER.store(), whole)
                .run(List.of(classes), "Keeper", List.of("120"))).isZero();
        return whole.toString(StandardCharsets.UTF_8);
    }

    /** Runs until the app printed {@code at}, then suspends it and checks it stopped there. */
    private static void runUntil(CompletableFuture<Integer> run, Device device, ByteArrayOutputStream out, String at)
            throws Exception {
        ResumeTest.awaitOutput(out, at);
        assertThat(device.suspend(Duration.ofSeconds(60))).isPositive();
        assertThat(run.get()).isEqualTo(Device.SUSPENDED);
    }

    @Test
    void anAppMigratesFromAFlashFrontedDeviceThroughTheServerAndBackAndPrintsWhatAnUninterruptedRunPrints()
            throws Exception {
        Path classes = ResumeTest.compile("Keeper", KEEPER);
        String whole = uninterrupted(classes);

        String app = TestHeaps.app("keeper");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ByteArrayOutputStream third = new ByteArrayOutputStream();
        try (FlashFrontedStore store = fronted(remote)) {
            Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(128L << 10)
                    .checkpointInterval(Duration.ZERO), store, ResumeTest.console(first));   // no checkpoint before the suspend
            CompletableFuture<Integer> ran = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Keeper",
                    List.of("120")));
            ResumeTest.awaitOutput(first, "step 40 ");
            assertThat(store.stats().linesWhole() + store.stats().linesPatched()).as("evictions went to flash")
                    .isPositive();
            assertThat(remote.get().writes).as("and none to the server").hasValue(0);
            assertThat(a.suspend(Duration.ofSeconds(60))).isPositive();
            assertThat(ran.get()).isEqualTo(Device.SUSPENDED);
            long flashWritten = store.stats().bytesWritten();

            Device b = device(app, "b", SERVER.store(), second);   // the server alone has the app
            runUntil(CompletableFuture.supplyAsync(() -> b.resume(0)), b, second, "step 80 ");

            Device c = device(app, "c", store, third);   // back on the flash-fronted device: its copy is out of date
            assertThat(c.resume(0)).isZero();
            assertThat(store.stats().bytesWritten()).isGreaterThan(flashWritten);
        }
        String joined = first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8)
                + third.toString(StandardCharsets.UTF_8);
        assertThat(joined).isEqualTo(whole);
        assertThat(second.toString(StandardCharsets.UTF_8)).startsWith("step ");
        assertThat(third.toString(StandardCharsets.UTF_8)).startsWith("step ").contains("done ");
    }

    @Test
    void whileTheServerTakesNoWritesTheAppRunsOnAndCheckpointsInFlashAndItsSuspendWaitsUntilTheServerHasThem()
            throws Exception {
        Path classes = ResumeTest.compile("Keeper", KEEPER);
        String whole = uninterrupted(classes);

        String app = TestHeaps.app("keeper-away");
        AtomicReference<TestStores.FlakySession> remote = new AtomicReference<>();
        List<Long> reported = new CopyOnWriteArrayList<>();
        DeviceEvents events = new DeviceEvents() {
            @Override
            public void checkpointed(long checkpointId, int lines, long nanos, String reason) {
                reported.add(checkpointId);
            }

            @Override
            public void checkpointFailed(String why) {
            }
        };
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (FlashFrontedStore store = fronted(remote)) {
            Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(128L << 10)
                    .checkpointInterval(Duration.ofMillis(20)), store, ResumeTest.console(first), new ParsedClasses(),
                    events);
            CompletableFuture<Integer> ran = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Keeper",
                    List.of("120")));
            ResumeTest.awaitOutput(first, "step 20 ");
            remote.get().down(true);   // reads of lines the flash lacks, writes and commits are refused
            // a commit under way when the server went away may still reach it; once none is, and the device has
            // checkpointed (in flash) twice since, each at a safepoint that first reported what was shipped, nothing
            // more arrives
            awaitTrue("no commit in flight", () -> remote.get().commitsInFlight.get() == 0);
            int behind = a.checkpointsBehind();
            awaitTrue("two checkpoints kept in flash since", () -> a.checkpointsBehind() > behind + 1);
            int shippedBefore = reported.size();
            awaitTrue("two more kept in flash", () -> a.checkpointsBehind() > behind + 3);
            ResumeTest.awaitOutput(first, "step 60 ");
            assertThat(reported).as("no checkpoint reached the server meanwhile").hasSize(shippedBefore);
            assertThat(a.checkpointsBehind()).as("checkpoints kept in flash").isPositive();
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> remote.get().down(false));
            long suspendedAt = a.suspend(Duration.ofSeconds(60));
            assertThat(ran.get()).isEqualTo(Device.SUSPENDED);
            assertThat(reported).as("ids of the server, growing").isSorted().last().isEqualTo(suspendedAt);

            Device b = device(app, "b", SERVER.store(), second);   // the server alone has the app
            assertThat(b.resume(suspendedAt)).isZero();
        }
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole);
    }
}
