package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.client.HeapImageTransfer;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.vm.VmLauncher;
import org.vheap.format.CheckpointBlobs;
import org.vheap.format.VmStateImage;
import org.vheap.proto.v1.GetCheckpointRequest;
import org.vheap.proto.v1.GetHeapSummaryRequest;
import org.vheap.proto.v1.HeapSummary;
import org.vheap.proto.v1.HeapToolProgress;
import org.vheap.proto.v1.ImportedHeap;
import org.vheap.proto.v1.ThreadSummary;
import org.vheap.server.store.HeapDatabase;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.TestHeaps;

/**
 * An app suspended on one store, exported, imported into another store on a database of its own (which has none of
 * its class files), and resumed there by another device prints what an uninterrupted run prints; and the summary the
 * server gives of a suspended app's checkpoint is what its VM state holds.
 */
class HeapImageResumeTest {
    @RegisterExtension
    static final TestStores.Server SERVER = new TestStores.Server();
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Accounts in a map of arrays, a sliding log and a lambda, printed each round: a heap worth moving. */
    private static final String ACCOUNTS = """
            import java.util.*;
            public class Accounts {
                public static void main(String[] args) throws Exception {
                    Map<String, long[]> accounts = new HashMap<>();
                    Deque<String> log = new ArrayDeque<>();
                    Random r = new Random(42);
                    for (int round = 1; round <= Integer.parseInt(args[0]); round++) {
                        for (int i = 0; i < 300; i++) {
                            accounts.computeIfAbsent("acct-" + r.nextInt(2000), k -> new long[16])[r.nextInt(16)] += r.nextInt(100);
                        }
                        log.addLast("round " + round + " of " + accounts.size());
                        if (log.size() > 40) log.removeFirst();
                        long sum = 0;
                        for (long[] v : accounts.values()) for (long x : v) sum += x;
                        System.out.println("round " + round + " " + accounts.size() + " " + sum + " [" + log.peekFirst() + "]");
                        Thread.sleep(3);
                    }
                }
            }
            """;

    private static DeviceConsole console(ByteArrayOutputStream out) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new DeviceConsole(new ByteArrayInputStream(new byte[0]), ps, ps);
    }

    private static Path compileAccounts() throws Exception {
        Path classes = Files.createTempDirectory("vheap-image-app");
        Files.writeString(classes.resolve("Accounts.java"), ACCOUNTS);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                classes.resolve("Accounts.java").toString())).isZero();
        return classes;
    }

    /** Runs Accounts as {@code app} on device a over the run's server until round 40, and suspends it; its output. */
    private static ByteArrayOutputStream suspendedAccounts(Path classes, String app) throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        Device a = new Device(new DeviceConfig().app(app).deviceName("a").memoryBytes(2 << 20)
                .checkpointInterval(Duration.ZERO), SERVER.store(), console(first));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> a.run(List.of(classes), "Accounts",
                List.of("80")));
        ResumeTest.awaitOutput(first, "round 40 ");
        a.suspend(Duration.ofSeconds(30));
        assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(Device.SUSPENDED);
        return first;
    }

    @Test
    void aSuspendedAppsSummaryIsWhatItsVmStateHolds() throws Exception {
        String app = TestHeaps.app("accounts-summary");
        suspendedAccounts(compileAccounts(), app);
        HeapSummary s = SERVER.admin(stub -> stub.getHeapSummary(GetHeapSummaryRequest.newBuilder().setApp(app).build()));
        byte[] raw = SERVER.admin(stub -> stub.getCheckpoint(GetCheckpointRequest.newBuilder().setApp(app).build()))
                .getVmState().toByteArray();
        VmStateImage state = VmLauncher.readState(raw);

        assertThat(s.getDeviceState()).isTrue();
        assertThat(s.getCheckpoint().getDevice()).isEqualTo("a");
        assertThat(s.getClasses()).isEqualTo(state.classes.size()).isGreaterThan(100);
        assertThat(s.getAppClasses()).as("Accounts, from the class path (its lambda is a hidden class)").isEqualTo(1);
        assertThat(s.getHiddenClasses()).isPositive();
        assertThat(s.getSystemBlobs()).isEqualTo(CheckpointBlobs.of(raw).size());
        assertThat(s.getInternedStrings()).isEqualTo(state.interned.size()).isPositive();
        assertThat(s.getBytecodes()).isEqualTo(state.bytecodes).isPositive();
        assertThat(s.getAllocatedBytes()).isEqualTo(state.top);
        ThreadSummary main = s.getThreadsList().stream().filter(t -> t.getName().equals("main")).findFirst().orElseThrow();
        assertThat(main.getStackList()).extracting(f -> f.getClassName() + "." + f.getMethod() + f.getMethodDescriptor())
                .last().isEqualTo("Accounts.main([Ljava/lang/String;)V");
        assertThat(main.getStack(main.getStackCount() - 1).getLine()).as("main's source line, in its loop").isBetween(7, 16);
        assertThat(main.getState()).isIn("RUNNABLE", "TIMED_WAITING");
    }

    @Test
    void anAppExportedMidRunResumesExactlyFromAnotherDatabase() throws Exception {
        Path classes = compileAccounts();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (MemoryHeapStore alone = new MemoryHeapStore()) {
            assertThat(new Device(new DeviceConfig().app(TestHeaps.app("accounts-whole")).checkpointInterval(Duration.ZERO),
                    alone, console(whole)).run(List.of(classes), "Accounts", List.of("80"))).isZero();
        }

        String app = TestHeaps.app("accounts");
        ByteArrayOutputStream first = suspendedAccounts(classes, app);

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<HeapToolProgress> progress = new java.util.ArrayList<>();
        ManagedChannel source = ManagedChannelBuilder.forTarget(SERVER.target()).usePlaintext().build();
        try {
            HeapImageTransfer.export(source, app, 0, file, progress::add);
        } finally {
            source.shutdownNow();
        }
        assertThat(progress).isNotEmpty().last().satisfies(p -> assertThat(p.getLinesDone()).isEqualTo(p.getLinesTotal()));

        try (HeapDatabase otherDatabase = HeapDatabase.external(DB.createDatabase("vheap_resume_images_"), DB.user(), "", 4);
             TestHeapServer other = TestHeapServer.onLoopback().dataSource(otherDatabase.dataSource()).start()) {
            ImportedHeap made = HeapImageTransfer.importFile(other.channel(), "", false,
                    new ByteArrayInputStream(file.toByteArray()), p -> { });
            assertThat(made.getApp()).isEqualTo(app);
            assertThat(made.getBlobsAdded()).as("every class file the app needs came with it").isEqualTo(made.getBlobs())
                    .isGreaterThan(100);

            ByteArrayOutputStream second = new ByteArrayOutputStream();
            try (GrpcHeapStore there = new GrpcHeapStore(other.target(), Duration.ofSeconds(20))) {
                Device b = new Device(new DeviceConfig().app(app).deviceName("b").memoryBytes(2 << 20)
                        .checkpointInterval(Duration.ZERO), there, console(second));
                assertThat(b.resume(0)).isZero();
            }
            assertThat(first.toString(StandardCharsets.UTF_8) + second.toString(StandardCharsets.UTF_8))
                    .isEqualTo(whole.toString(StandardCharsets.UTF_8));
        }
    }
}
