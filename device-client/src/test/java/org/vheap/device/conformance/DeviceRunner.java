package org.vheap.device.conformance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.conformance.ProgramCompiler.CompiledProgram;
import org.vheap.device.store.HeapStore;

/**
 * Runs a program on the device VM in this JVM: a fresh store from {@code stores} per run, a unique app name, the
 * program's {@code @heap} as the device's max heap (else {@link #DEFAULT_MAX_HEAP}), device memory from
 * {@code memoryBytes}, the {@code @stdin} text as its standard input, its standard streams captured as bytes.
 */
public final class DeviceRunner implements ProgramRunner {
    /** Parsed class files shared by every device of the run (booting the library parses ~300 classes). */
    private static final org.vheap.device.vm.loader.ParsedClasses PARSED = new org.vheap.device.vm.loader.ParsedClasses();

    /** The max heap of programs without {@code @heap}: large enough for all of them. */
    public static final long DEFAULT_MAX_HEAP = 1L << 30;
    /** Resident mode: device memory large enough that nothing pages (capped at the max heap). */
    public static final long RESIDENT_MEMORY = 256L << 20;

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String name;
    private final Supplier<HeapStore> stores;
    private final ToLongFunction<CompiledProgram> memoryBytes;
    private final Duration timeout;
    private final java.util.function.UnaryOperator<DeviceConfig> tuning;

    public DeviceRunner(String name, Supplier<HeapStore> stores, ToLongFunction<CompiledProgram> memoryBytes, Duration timeout) {
        this(name, stores, memoryBytes, timeout, c -> c);
    }

    /** @param tuning changes the device config of each run (its nursery, say) */
    public DeviceRunner(String name, Supplier<HeapStore> stores, ToLongFunction<CompiledProgram> memoryBytes, Duration timeout,
                        java.util.function.UnaryOperator<DeviceConfig> tuning) {
        this.name = name;
        this.stores = stores;
        this.memoryBytes = memoryBytes;
        this.timeout = timeout;
        this.tuning = tuning;
    }

    /** Device memory of {@link #RESIDENT_MEMORY}, capped at the program's max heap. */
    public static long residentMemory(CompiledProgram p) {
        return Math.min(RESIDENT_MEMORY, maxHeap(p));
    }

    /** Paging memory: a tenth of the peak live heap, at least {@link DeviceConfig#MIN_FRAMES} lines, whole lines. */
    public static long pagingMemory(long peakHeapBytes, int lineSize, long maxHeap) {
        long tenth = peakHeapBytes / 10;
        long lines = Math.max(DeviceConfig.MIN_FRAMES, (tenth + lineSize - 1) / lineSize);
        return Math.min(lines * lineSize, maxHeap);
    }

    public static long maxHeap(CompiledProgram p) {
        return p.program().markers().heapBytes().orElse(DEFAULT_MAX_HEAP);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunResult run(CompiledProgram compiled) throws Exception {
        ConformanceProgram program = compiled.program();
        DeviceConfig config = tuning.apply(new DeviceConfig()
                .app(program.area() + "-" + program.name() + "-" + name + "-" + RUNS.incrementAndGet())
                .deviceName("conformance")
                .resources(java.util.List.of("net"))
                .maxHeapBytes(maxHeap(compiled))
                .memoryBytes(memoryBytes.applyAsLong(compiled)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        DeviceConsole console = new DeviceConsole(
                new ByteArrayInputStream(program.markers().stdin().getBytes(StandardCharsets.UTF_8)), outStream, errStream);
        try (HeapStore store = stores.get()) {
            Device device = new Device(config, store, console, PARSED);
            AtomicReference<Integer> exit = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            Thread runner = new Thread(() -> {
                try {
                    exit.set(device.run(List.of(compiled.classDir()), program.mainClass(), program.markers().args()));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "device " + program.id());
            runner.setDaemon(true);
            runner.start();
            runner.join(timeout.toMillis());
            if (runner.isAlive()) {
                runner.interrupt();
                throw new TimeoutException(program.id() + " did not finish on the device (" + name + ") within " + timeout
                        + "; stdout so far:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (failure.get() != null) {
                throw new AssertionError("the device VM itself failed running " + program.id() + " (" + name + ")", failure.get());
            }
            outStream.flush();
            errStream.flush();
            return new RunResult(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exit.get(), elapsed,
                    Optional.of(device.stats()));
        }
    }
}
