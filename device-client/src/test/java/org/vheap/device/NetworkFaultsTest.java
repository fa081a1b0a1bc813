package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.proto.v1.CheckpointInfo;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.server.testing.FaultRelay;
import org.vheap.server.testing.TestHeaps;
import org.vheap.server.torture.TallyApp;

/**
 * Devices on a heap server through a {@link FaultRelay} (user-space network faults on loopback): cut off past its
 * lease and healed, a device is fenced and its heir goes on from a committed checkpoint; with 50 ms added each way
 * and stalls, an app runs on, slower, and every checkpoint commits. The app is the crash matrix's {@link TallyApp}: it
 * checks its own heap at every count and commits a checkpoint after each.
 */
class NetworkFaultsTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    private static List<Path> tally() throws Exception {
        return List.of(ResumeTest.compile("Tally", TallyApp.SOURCE), ResumeTest.apiClasses());
    }

    /** A relay to the run's heap server. */
    private static FaultRelay relayToServer() throws java.io.IOException {
        return FaultRelay.start("127.0.0.1", Integer.parseInt(SERVER.target().split(":")[1]));
    }

    private static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new java.io.ByteArrayInputStream(new byte[0]), print, print);
    }

    /** A device of the app on {@code store} whose output goes to {@code out}. */
    private static Device device(String app, String name, org.vheap.device.store.HeapStore store, ByteArrayOutputStream out) {
        DeviceConfig config = new DeviceConfig().app(app).deviceName(name).memoryBytes(256L << 10)
                .lease(Duration.ofSeconds(1)).storeRetryFor(Duration.ofSeconds(60));
        return new Device(config, store, console(out), new ParsedClasses(), DeviceEvents.none(),
                new DeviceResources(config.deviceName(), config.resources()));
    }


    private static void awaitCommitted(ByteArrayOutputStream out, long count, CompletableFuture<?> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (TallyApp.lastCommitted(out.toString(StandardCharsets.UTF_8)) < count) {
            assertThat(run).as("the app runs: %s", out).isNotDone();
            assertThat(System.nanoTime()).as("committed %d within a minute: %s", count, out).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The counts an output printed go on by one from {@code first}, each committed, and the app's check never failed. */
    private static void assertCountsGoOnFrom(String output, long first, long last) {
        assertThat(output).doesNotContain("CORRUPT");
        List<Long> counts = output.lines().filter(l -> l.startsWith("count ")).map(l -> Long.parseLong(l.substring(6))).toList();
        assertThat(counts).as(output).isNotEmpty();
        assertThat(counts.get(0)).isEqualTo(first);
        assertThat(counts.get(counts.size() - 1)).isEqualTo(last);
        assertThat(counts).hasSize((int) (last - first + 1));
    }

    /**
     * Cut off with its answers held (its last flush or commit reaching the server unanswered), past its lease: the heir
     * resumes from a checkpoint at or after the last one the device was told of and runs the app to its end; when the
     * path heals, the device's calls are fenced and it stops, having written nothing the heir sees.
     */
    @Test
    void aDeviceCutOffPastItsLeaseIsFencedWhenHealedAndItsHeirGoesOn() throws Exception {
        String app = TestHeaps.app("netcut");
        List<Path> classes = tally();
        ByteArrayOutputStream firstOut = new ByteArrayOutputStream();
        try (FaultRelay relay = relayToServer();
             GrpcHeapStore viaRelay = new GrpcHeapStore(relay.target(), Duration.ofSeconds(2))) {
            Device first = device(app, "netcut-first", viaRelay, firstOut);
            CompletableFuture<Integer> firstRun = CompletableFuture.supplyAsync(
                    () -> first.run(classes, "Tally", List.of("120", "5", "50")));
            awaitCommitted(firstOut, 30, firstRun);
            relay.stallAnswers();
            Thread.sleep(1_000);   // an answer the relay was delivering as it stalled is printed by now
            String beforeCut = firstOut.toString(StandardCharsets.UTF_8);
            long toldBeforeCut = TallyApp.lastCommitted(beforeCut);
            SERVER.clock().advance(Duration.ofSeconds(2));   // the server's clock: past the device's one-second lease
            assertThat(firstRun).as("cut off, it waits for the store").isNotDone();

            ByteArrayOutputStream heirOut = new ByteArrayOutputStream();
            Device heir = device(app, "netcut-heir", SERVER.store(), heirOut);
            CompletableFuture<Integer> heirRun = CompletableFuture.supplyAsync(() -> heir.resume(0));
            awaitCommitted(heirOut, toldBeforeCut + 1, heirRun);

            relay.resume();   // healed: what the device sent meanwhile, and sends now, meets the heir's lease
            assertThat(firstRun).failsWithin(Duration.ofMinutes(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(DeviceException.class)
                    .withMessageContaining("taken over by another device or its lease ended");
            assertThat(heirRun.get(2, TimeUnit.MINUTES)).isZero();

            String heirOutput = heirOut.toString(StandardCharsets.UTF_8);
            long start = TallyApp.firstCommitted(heirOutput);
            assertThat(start).as("resumed at or after the last commit the device was told of").isGreaterThanOrEqualTo(toldBeforeCut);
            assertCountsGoOnFrom(heirOutput, start + 1, 120);
            assertThat(heirOutput).contains("finished");
            // the checkpoints the heir made are the newest; the fenced device made none after it took over
            List<CheckpointInfo> checkpoints = SERVER.admin(stub -> stub.listCheckpoints(
                    ListCheckpointsRequest.newBuilder().setApp(app).build())).getCheckpointsList();
            assertThat(checkpoints.get(0).getDevice()).isEqualTo("netcut-heir");
            assertThat(firstOut.toString(StandardCharsets.UTF_8).substring(beforeCut.length()))
                    .as("nothing committed after the cut was told to the fenced device").doesNotContain("committed");
        }
    }

    /**
     * 50 ms added each way, then the path stalled twice for 1.5 s: the app runs on, slower, and every checkpoint commits.
     * (A count of Tally, its flushes and its commit stream, takes about 25 round trips: 2.5 s at 100 ms.)
     */
    @Test
    void withFiftyMillisecondsAddedAndStallsTheAppRunsOnAndEveryCheckpointCommits() throws Exception {
        String app = TestHeaps.app("netslow");
        List<Path> classes = tally();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FaultRelay relay = relayToServer();
             GrpcHeapStore viaRelay = new GrpcHeapStore(relay.target(), Duration.ofSeconds(20))) {
            relay.delay(Duration.ofMillis(50));
            Device device = device(app, "netslow", viaRelay, out);
            long started = System.nanoTime();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> device.run(classes, "Tally", List.of("12", "5", "50")));
            for (long at : new long[] {4, 8}) {
                awaitCommitted(out, at, run);
                relay.stall();
                Thread.sleep(1_500);
                relay.resume();
            }
            assertThat(run.get(3, TimeUnit.MINUTES)).isZero();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            String output = out.toString(StandardCharsets.UTF_8);
            assertCountsGoOnFrom(output, 1, 12);
            assertThat(TallyApp.commits(output)).as("a commit after every count").isEqualTo(12);
            assertThat(output).contains("finished");
            assertThat(seconds).as("slower: two stalls and 12 commits of round trips of 100 ms at least").isGreaterThanOrEqualTo(5);
            CheckpointInfo newest = SERVER.admin(stub -> stub.listCheckpoints(
                    ListCheckpointsRequest.newBuilder().setApp(app).build())).getCheckpoints(0);
            assertThat(newest.getDevice()).isEqualTo("netslow");
        }
    }
}
