package org.vheap.device.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.VmLauncher;
import org.vheap.format.VmStateImage;
import org.vheap.fuzz.JazzerRun;

/**
 * The device's fuzz targets, {@code class-files} and {@code vm-state}: their seed corpora are real inputs (the samples'
 * and some of the JDK's class files; VM states of checkpoints of running samples), and a bounded run of each under Jazzer
 * (as {@code ./vheap fuzz TARGET --runs N} runs longer) finds no failure and covers the device's code.
 *
 * <p>{@code -Dvheap.fuzz.writeSeeds=true} writes the seed corpora anew (the VM states after a change of their format).
 */
class DeviceFuzzTargetsTest {
    static final Path CLASS_FILES = Path.of("src/fuzz/class-files");
    static final Path VM_STATE = Path.of("src/fuzz/vm-state");
    private static final long RUNS = Long.getLong("vheap.fuzz.runs", 3000);

    @Test
    void theSeedsAreRealClassFilesAndVmStatesOfThisFormat(@TempDir Path work) throws Exception {
        if (Boolean.getBoolean("vheap.fuzz.writeSeeds")) {
            writeSeeds(work);
        }
        List<Path> classFiles = files(CLASS_FILES);
        assertThat(classFiles).hasSizeGreaterThan(4);
        for (Path f : classFiles) {
            assertThat(new ClassReader(Files.readAllBytes(f)).getClassName()).as(f.toString()).isNotEmpty();
        }
        List<Path> states = files(VM_STATE);
        assertThat(states).hasSizeGreaterThan(1);
        for (Path f : states) {
            assertThat(VmLauncher.readState(Files.readAllBytes(f)).threads).as(f.toString()).isNotEmpty();
        }
    }

    /** What the vm-state target found: a count past the bytes left, a name that is no modified UTF-8. */
    @Test
    void aCorruptVmStateIsRefusedInOneLineBeforeAnythingIsAllocatedForIt() throws Exception {
        byte[] real = Files.readAllBytes(files(VM_STATE).get(0));
        byte[] hugeCount = java.util.Arrays.copyOf(real, 80);
        java.nio.ByteBuffer.wrap(hugeCount).putInt(76, 1 << 28);   // the free ranges' count, after the fixed fields
        assertThatThrownBy(() -> VmLauncher.readState(hugeCount)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt (a count of 268435456 with 0 bytes left)");
        byte[] badName = real.clone();
        int name = indexOf(badName, "java/lang/Object".getBytes(StandardCharsets.US_ASCII));
        badName[name] = (byte) 0xC0;   // a lone lead byte of a two-byte sequence
        badName[name + 1] = (byte) 0x20;
        assertThatThrownBy(() -> VmLauncher.readState(badName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no modified UTF-8");
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    @Test
    void aBoundedRunOfClassFilesFindsNothing(@TempDir Path work) throws Exception {
        JazzerRun.Result r = JazzerRun.run(ClassFilesTarget.class.getName(), List.of("org.objectweb.asm.**"), CLASS_FILES, work, RUNS, Duration.ofMinutes(5),
                System.out::println);
        assertThat(r.failure()).as("failure (input: %s)", r.artifact()).isNull();
        assertThat(r.inputs()).isEqualTo(RUNS);
        assertThat(r.coverage()).as("code edges covered").isGreaterThan(500);
    }

    @Test
    void aBoundedRunOfVmStatesFindsNothing(@TempDir Path work) throws Exception {
        JazzerRun.Result r = JazzerRun.run(VmStateTarget.class.getName(), VM_STATE, work, RUNS, Duration.ofMinutes(5),
                System.out::println);
        assertThat(r.failure()).as("failure (input: %s)", r.artifact()).isNull();
        assertThat(r.inputs()).isEqualTo(RUNS);
        assertThat(r.coverage()).as("code edges covered").isGreaterThan(50);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** The samples' class files and a few of the JDK's; VM states of two samples suspended while they run. */
    private static void writeSeeds(Path work) throws Exception {
        Path samples = Path.of("../samples");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> names = List.of("Counter", "ProducerConsumer", "NBody", "Notes", "CacheChurn");
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        names.forEach(n -> args.add(samples.resolve(n + ".java").toString()));
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]))).isZero();
        try (Stream<Path> s = Files.list(classes)) {
            for (Path f : s.toList()) {
                Files.copy(f, CLASS_FILES.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        var jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String jdk : List.of("java/lang/Runnable", "java/util/Objects", "java/util/AbstractList$Itr")) {
            Files.write(CLASS_FILES.resolve("jdk-" + jdk.replace('/', '.') + ".class"),
                    Files.readAllBytes(jrt.getPath("modules", "java.base", jdk + ".class")));
        }
        for (String[] run : List.of(new String[] {"Counter", "1000000", "20"}, new String[] {"ProducerConsumer", "100000", "1"})) {
            MemoryHeapStore store = new MemoryHeapStore();
            String app = "seed-" + run[0];
            DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Device d = new Device(new DeviceConfig().app(app), store, console);
            CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() ->
                    d.run(List.of(classes), run[0], List.of(run[1], run[2])));
            d.awaitRunning(Duration.ofMinutes(1));
            Thread.sleep(500);
            d.suspend(Duration.ofMinutes(1));
            running.get(1, TimeUnit.MINUTES);
            try (HeapSession s = store.openHeap(new OpenRequest(app, "reader", false, 0, Duration.ZERO, 0))) {
                Files.write(VM_STATE.resolve(run[0].toLowerCase() + ".state"), s.baseVmState());
            }
        }
    }
}
