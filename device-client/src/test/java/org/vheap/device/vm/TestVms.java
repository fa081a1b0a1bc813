package org.vheap.device.vm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.vheap.device.DeviceConsole;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.loader.ClassSource;

/** Shared helpers of the VM tests: compile Java sources with javac --release 17 and run them on the VM. */
final class TestVms {
    /** Parsed class files shared by every VM of the test run. */
    static final org.vheap.device.vm.loader.ParsedClasses PARSED = new org.vheap.device.vm.loader.ParsedClasses();

    /** The nursery of the VMs these helpers run: small, so programs run many minor collections. */
    static final int NURSERY_BYTES = 256 << 10;
    /** Their user heap's working sets: small, so programs collect many of them alone. */
    static final long WORKING_SET_BYTES = 64 << 10;

    private TestVms() {
    }

    /** What a program printed and returned. */
    record Outcome(int exit, String out, String err, long collections, long heapInUse,
                   List<HeapHeader.ClassEntry> headerClasses, boolean headerTopCurrent, long bytesCompacted) {
    }

    /** Compiles {@code sources} (file name to text) into a fresh directory. */
    static Path compile(Map<String, String> sources) throws IOException {
        Path src = Files.createTempDirectory("vheap-src");
        Path out = Files.createTempDirectory("vheap-classes");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-g", "-d", out.toString()));
        for (var e : sources.entrySet()) {
            Path p = src.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            args.add(p.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, args.toArray(new String[0]));
        if (rc != 0) {
            throw new IllegalArgumentException("javac failed:\n" + diag);
        }
        return out;
    }

    /** Runs a main class on the VM over an unpaged heap. */
    static Outcome run(Path classes, String mainClass, CallSites.Synthesizer synthesizer, String... args) {
        return run(classes, mainClass, synthesizer, 1L << 30, args);
    }

    /** Runs a main class on the VM over an unpaged heap of at most {@code maxHeap} bytes. */
    static Outcome run(Path classes, String mainClass, CallSites.Synthesizer synthesizer, long maxHeap, String... args) {
        return run(new ClassSource(List.of(classes)), mainClass, synthesizer, maxHeap, null, args);
    }

    /**
     * Runs a main class with this class source; when {@code blobs} is given, the class files the VM loaded are
     * put in it (as a device stores them in the store's system blobs).
     */
    static Outcome run(ClassSource classSource, String mainClass, CallSites.Synthesizer synthesizer, long maxHeap,
                       java.util.Map<org.vheap.format.BlobHash, byte[]> blobs, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DeviceConsole console = new DeviceConsole(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        ArrayHeapMemory memory = new ArrayHeapMemory(4096, NURSERY_BYTES, WORKING_SET_BYTES);
        try (ClassSource source = classSource) {
            Vm vm = new Vm(memory, new ObjectAllocator(memory, 4096, maxHeap), source, PARSED, console, System::nanoTime,
                    System::currentTimeMillis);
            VmLauncher launcher = new VmLauncher(vm, synthesizer, 10_000);
            launcher.compactUserHeap(true);   // every object the VM names from the host must follow a move, or be pinned
            launcher.verifyRememberedSets(true);   // every minor and working set's collection checks the write barrier first
            int exit = launcher.launch(mainClass, List.of(args));
            if (blobs != null) {
                for (var p : vm.systemSegment().map().placements()) {
                    blobs.put(p.hash(), vm.systemSegment().read(p));   // the class files, through the system lines
                }
            }
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    vm.collections(), vm.allocator().bytesInUse(), HeapHeader.readClasses(memory, vm),
                    HeapHeader.top(memory) == vm.allocator().top(), launcher.bytesCompacted());
        }
    }
}
