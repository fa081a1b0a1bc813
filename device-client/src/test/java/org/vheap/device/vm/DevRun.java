package org.vheap.device.vm;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.vheap.device.DeviceConsole;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.loader.ClassSource;

/** Developer tool: runs a compiled class on the VM with timings (not a test). */
public final class DevRun {
    public static void main(String[] a) {
        long t0 = System.nanoTime();
        ArrayHeapMemory memory = new ArrayHeapMemory(4096);
        try (ClassSource source = new ClassSource(List.of(Path.of(a[0])))) {
            Vm vm = new Vm(memory, new ObjectAllocator(memory, 4096, 1L << 30), source, TestVms.PARSED,
                    new DeviceConsole(new ByteArrayInputStream(new byte[0]), System.out, System.err), System::nanoTime, System::currentTimeMillis);
            int exit = new VmLauncher(vm, org.vheap.device.vm.interp.CallSites.standard(vm::classFile), 10_000)
                    .launch(a[1], Arrays.asList(a).subList(2, a.length));
            System.err.printf("exit %d, %.1f ms, %d bytecodes, %d classes, heap %d KiB%n", exit, (System.nanoTime() - t0) / 1e6,
                    vm.bytecodes(), vm.classes().classes().size(), vm.allocator().bytesInUse() >> 10);
        }
    }
}
