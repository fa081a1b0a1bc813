package org.vheap.device.vm.interp;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.MemoryHeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;
import org.vheap.device.vm.loader.VmClass;

/**
 * JMH (not a test; docs/benchmarks.md says how to run it): the class look-ups of {@code newarray} and {@code bastore}
 * through {@link ArrayInstructions}, against the way they were done before, side by side, on a VM over a paged heap:
 * <ul>
 *   <li>{@code newarray}: the array class by its type code from a small array filled on first use
 *       ({@link ArrayInstructions#primitiveArray}), against a look-up of the class by name in the class registry
 *       on every allocation;
 *   <li>{@code bastore}'s test for {@code boolean[]} (it stores only the lowest bit then): the class id in the
 *       array's header compared with {@code boolean[]}'s ({@link ArrayInstructions#isBooleanArray}), against the
 *       array's class looked up from its header and its name compared.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArrayInstructionsJmh {
    private MemoryHeapStore store;
    private Vm vm;
    private ArrayInstructions arrays;
    /** A boolean[] and a byte[], stored into in turn. */
    private final int[] targets = new int[2];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        store = new MemoryHeapStore();
        PagedHeap heap = new PagedHeap(store.openHeap(new OpenRequest("jmh-arrays", "jmh", true, 4096, Duration.ZERO, 0)),
                new PagingConfig().setMemoryBytes(8 << 20).setLineSize(4096).validate());
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        vm = new Vm(heap, new ObjectAllocator(heap, 4096, 1L << 30), new ClassSource(List.of()), new ParsedClasses(),
                new DeviceConsole(new ByteArrayInputStream(new byte[0]), nowhere, nowhere), System::nanoTime,
                System::currentTimeMillis);
        vm.bootClasses();
        arrays = new ArrayInstructions(vm);
        targets[0] = vm.newArray(vm.classes().load("[Z"), 16);
        targets[1] = vm.newArray(vm.classes().load("[B"), 16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public VmClass newarrayByTypeCode() {
        return arrays.primitiveArray((next++ & 1) == 0 ? Opcodes.T_INT : Opcodes.T_BYTE);
    }

    @Benchmark
    public VmClass newarrayByName() {
        return vm.classes().load((next++ & 1) == 0 ? "[I" : "[B");
    }

    @Benchmark
    public boolean bastoreByClassId() {
        return arrays.isBooleanArray(targets[next++ & 1]);
    }

    @Benchmark
    public boolean bastoreByClassName() {
        return vm.classOf(targets[next++ & 1]).name().equals("[Z");
    }
}
