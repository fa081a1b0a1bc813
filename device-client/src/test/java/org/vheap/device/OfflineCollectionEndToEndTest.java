package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.proto.v1.ClassHistogramRow;
import org.vheap.proto.v1.CollectedHeap;
import org.vheap.proto.v1.HeapInspection;
import org.vheap.proto.v1.HeapVerdict;
import org.vheap.proto.v1.ListCheckpointsRequest;
import org.vheap.server.testing.CliRun;
import org.vheap.server.testing.TestHeaps;

/**
 * {@code ./vheap gc [--compact]} on a suspended app whose user heap holds garbage: the new checkpoints keep exactly the
 * reachable objects (the same histogram), verify sound, take fewer lines, and a device resumes the compacted one
 * exactly; a collection is refused while a device holds the app.
 */
class OfflineCollectionEndToEndTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();

    /** 3,000 plants; a quarter in a bed, the rest in pots, cleared (garbage) when a byte comes on the input. */
    private static final String GARDEN = """
            import java.util.*;
            public class Garden {
                static final class Plant {
                    final String name; final int height; Plant next; final int[] leaves = new int[8];
                    Plant(String name, int height) { this.name = name; this.height = height; leaves[height % 8] = height; }
                }
                static Plant bed;
                static final List<Plant> pots = new ArrayList<>();
                static long checksum() {
                    long s = 0;
                    for (Plant p = bed; p != null; p = p.next) s = s * 31 + p.height + p.name.length() + p.leaves[p.height % 8];
                    return s;
                }
                public static void main(String[] args) throws Exception {
                    for (int i = 0; i < 3000; i++) {
                        Plant p = new Plant("plant-" + i, i);
                        if (i % 4 == 0) { p.next = bed; bed = p; } else { pots.add(p); }
                    }
                    System.out.println("planted " + checksum());
                    while (System.in.available() == 0) { Thread.sleep(5); }
                    pots.clear();
                    System.out.println("cleared " + checksum());
                    for (int round = 1; ; round++) {
                        Thread.sleep(5);
                        if (round % 20 == 0) { System.out.println("round " + checksum()); }
                    }
                }
            }
            """;

    private static DeviceConsole console(ByteArrayOutputStream out, java.io.InputStream in) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(in, ps, ps);
    }

    @Test
    void aCollectedAndACompactedCheckpointKeepTheReachableObjectsAndResumeExactly() throws Exception {
        Path classes = Files.createTempDirectory("vheap-gc-app");
        Files.writeString(classes.resolve("Garden.java"), GARDEN);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                classes.resolve("Garden.java").toString())).isZero();
        String app = TestHeaps.app("garden");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        PipedOutputStream input = new PipedOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(2 << 20)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(first, new PipedInputStream(input)));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Garden", List.of()));
        awaitOutput(first, "planted ");
        long before = a.lastCheckpointId();
        a.checkpoint();   // every plant into the user heap
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (a.lastCheckpointId() == before) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        input.write('!');
        input.flush();
        String sum = awaitOutput(first, "cleared (-?\\d+)\n");
        long suspended = a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        HeapInspection original = histogram(app, suspended);

        CollectedHeap swept = collect(app, 0, false);
        assertThat(swept.getFromCheckpointId()).isEqualTo(suspended);
        assertThat(swept.getForked()).isFalse();
        assertThat(swept.getObjects()).isEqualTo(original.getObjects());
        assertThat(swept.getFreedBytes()).as("2,250 plants cleared from their pots").isGreaterThan(150_000);
        assertThat(swept.getLinesDeleted()).isPositive();
        assertThat(swept.getCheckpoint().getLineCount()).isLessThan(swept.getLinesBefore());
        assertThat(swept.getCheckpoint().getParentCheckpointId()).isEqualTo(suspended);
        assertThat(swept.getCheckpoint().getMetadataMap()).containsEntry("vheap.collected-from", Long.toString(suspended));
        assertSameObjects(original, histogram(app, swept.getCheckpoint().getCheckpointId()));
        assertThat(verify(app, swept.getCheckpoint().getCheckpointId()).getProblemsList()).isEmpty();

        CliRun compacting = CliRun.of("gc", "--app", app, "--checkpoint", Long.toString(suspended), "--compact",
                "--server", SERVER.target());
        assertThat(compacting.exit()).as(compacting.err()).isZero();
        Matcher made = Pattern.compile("collected checkpoint " + suspended + " of app '" + app + "' and compacted it into"
                + " checkpoint (\\d+) \\(a fork: checkpoint " + suspended + " was not the newest\\)\n").matcher(compacting.out());
        assertThat(made.find()).as(compacting.out()).isTrue();
        long compacted = Long.parseLong(made.group(1));
        assertThat(compacting.out()).contains(String.format("  %,d reachable objects (", original.getObjects()))
                .containsPattern("moved\n  lines: [0-9,]+ before, [0-9,]+ after");
        long newest = SERVER.admin(stub -> stub.listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app).build()))
                .getCheckpoints(0).getCheckpointId();
        assertThat(newest).isEqualTo(compacted);
        assertSameObjects(original, histogram(app, compacted));
        HeapVerdict sound = verify(app, compacted);
        assertThat(sound.getProblemsList()).isEmpty();
        long compactedLines = SERVER.admin(stub -> stub.listCheckpoints(ListCheckpointsRequest.newBuilder().setApp(app)
                .build())).getCheckpoints(0).getLineCount();
        assertThat(compactedLines).isLessThanOrEqualTo(swept.getCheckpoint().getLineCount());

        // a device resumes the compacted heap and goes on exactly: the bed it walks is the one it left
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(2 << 20)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(second, new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> resumed = CompletableFuture.supplyAsync(() -> b.resume(compacted));
        assertThat(awaitOutput(second, "round (-?\\d+)\n")).isEqualTo(sum);
        // while a device holds the app, it is not collected
        assertThatThrownBy(() -> collect(app, 0, true)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(e.getStatus().getDescription()).startsWith("gc works on a suspended app: app '" + app
                    + "' is leased to device 'b'");
        });
        CliRun held = CliRun.of("gc", "--app", app, "--server", SERVER.target());
        assertThat(held.exit()).isEqualTo(1);
        assertThat(held.err()).contains("gc works on a suspended app");
        b.suspend(Duration.ofSeconds(30));
        assertThat(resumed.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        assertThat(second.toString(StandardCharsets.UTF_8)).doesNotContain("Exception");
    }

    /**
     * Samples suspended mid-run on half a megabyte of frames (they allocate 3 MiB), collected and compacted offline,
     * and resumed on another device print what an uninterrupted run prints.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ScatteredCache", "BigData"})
    void aSampleCompactedMidRunGoesOnExactly(String sample) throws Exception {
        Path classes = ResumeTest.compile(sample, Files.readString(Path.of(System.getProperty("user.dir")).getParent()
                .resolve("samples").resolve(sample + ".java")));
        List<String> args = List.of("3", "6");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (org.vheap.device.store.MemoryHeapStore alone = new org.vheap.device.store.MemoryHeapStore()) {
            assertThat(new Device(new DeviceConfig().app(TestHeaps.app(sample + "-whole")).checkpointInterval(Duration.ZERO),
                    alone, console(whole, new ByteArrayInputStream(new byte[0]))).run(List.of(classes), sample, args)).isZero();
        }
        String app = TestHeaps.app(sample.toLowerCase(java.util.Locale.ROOT) + "-gc");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(512 << 10)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(first, new ByteArrayInputStream(new byte[0])));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), sample, args));
        awaitOutput(first, "walk 1: ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        CollectedHeap compacted = collect(app, 0, true);
        assertThat(compacted.getMovedObjects()).isPositive();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(512 << 10)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(second, new ByteArrayInputStream(new byte[0])));
        assertThat(b.resume(compacted.getCheckpoint().getCheckpointId())).isZero();
        assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole.toString(StandardCharsets.UTF_8));
    }

    /** Waits for {@code regex} in the output; its first group. */
    private static String awaitOutput(ByteArrayOutputStream out, String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            Matcher m = p.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            assertThat(System.nanoTime()).as("'" + regex + "' in: " + out).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void assertSameObjects(HeapInspection expected, HeapInspection actual) {
        assertThat(actual.getObjects()).isEqualTo(expected.getObjects());
        assertThat(actual.getLiveBytes()).isEqualTo(expected.getLiveBytes());
        assertThat(actual.getHistogramList()).extracting(ClassHistogramRow::getClassName, ClassHistogramRow::getInstances,
                ClassHistogramRow::getBytes).containsExactlyInAnyOrderElementsOf(expected.getHistogramList().stream()
                .map(r -> org.assertj.core.groups.Tuple.tuple(r.getClassName(), r.getInstances(), r.getBytes())).toList());
    }

    private static HeapInspection histogram(String app, long checkpoint) {
        return HeapToolCalls.histogram(SERVER, app, checkpoint);
    }

    private static HeapVerdict verify(String app, long checkpoint) {
        return HeapToolCalls.verify(SERVER, app, checkpoint);
    }

    private static CollectedHeap collect(String app, long checkpoint, boolean compact) {
        return HeapToolCalls.collect(SERVER, app, checkpoint, compact);
    }
}
