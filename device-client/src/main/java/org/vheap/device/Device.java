package org.vheap.device;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.vheap.device.store.HeapSession;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.OpenRequest;
import org.vheap.device.vm.Vm;
import org.vheap.device.vm.VmLauncher;
import org.vheap.device.vm.heap.ObjectAllocator;
import org.vheap.device.vm.heap.paging.PagedHeap;
import org.vheap.device.vm.heap.paging.PagingConfig;
import org.vheap.device.vm.heap.paging.PagingStats;
import org.vheap.device.vm.interp.CallSites;
import org.vheap.device.vm.loader.ClassSource;
import org.vheap.device.vm.loader.ParsedClasses;

/**
 * One emulated device running one app on the device VM: opens the app's heap in the store (taking its
 * lease), boots the JDK's library on a paged heap of {@link DeviceConfig#memoryBytes()} bytes of frames,
 * runs a main class to completion and releases the lease. The class files it runs are lines of the heap's
 * system segment, sharing the frames (and so {@code --memory}) with the user lines; the VM uploads them to
 * the store's system segment at safepoints and when the app ends.
 *
 * <p>This devices start apps fresh: an app whose heap already has a checkpoint is refused (resuming
 * one is the checkpoint issue's). Failures of the device itself (the store unreachable after retries, the
 * lease lost) end the run with {@link DeviceException}; failures of the program are the program's (its exit
 * code and stderr).
 */
public final class Device {
    private final DeviceConfig config;
    private final HeapStore store;
    private final DeviceConsole console;
    private final ParsedClasses parsed;
    private volatile DeviceStats stats = new DeviceStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Device(DeviceConfig config, HeapStore store, DeviceConsole console) {
        this(config, store, console, new ParsedClasses());
    }

    /** With parsed class files shared between devices of this process (tests, several apps). */
    public Device(DeviceConfig config, HeapStore store, DeviceConsole console, ParsedClasses parsed) {
        config.validate();
        this.config = config;
        this.store = Objects.requireNonNull(store, "store");
        this.console = Objects.requireNonNull(console, "console");
        this.parsed = Objects.requireNonNull(parsed, "parsed");
    }

    /**
     * Runs {@code mainClass} from {@code classpath} (jars and class directories) with {@code args}, and returns
     * the program's exit code: the argument of {@code System.exit}, 0 when every non-daemon thread ended, or 1
     * after an uncaught exception in main (printed to the console's error stream as HotSpot prints it).
     *
     * @throws DeviceException when the device cannot run the app (store unreachable, lease, heap exists)
     */
    public int run(List<Path> classpath, String mainClass, List<String> args) {
        try (HeapSession session = store.openHeap(new OpenRequest(config.app(), config.deviceName(), true,
                config.lineSize(), java.time.Duration.ZERO, 0))) {
            if (session.baseCheckpointId() != 0) {
                throw new DeviceException("app " + config.app() + " already has a heap (checkpoint "
                        + session.baseCheckpointId() + "); resume it, or delete it first: ./vheap delete-app --app " + config.app());
            }
            int lineSize = session.lineSize();
            long memory = Math.max(config.memoryBytes() - config.memoryBytes() % lineSize, (long) DeviceConfig.MIN_FRAMES * lineSize);
            int frames = (int) (memory / lineSize);
            PagedHeap heap = new PagedHeap(session, new PagingConfig().setMemoryBytes(memory).setLineSize(lineSize)
                    .setFreeFrameThreshold(Math.max(1, Math.min(8, frames / 8)))
                    .setMaxHeapBytes(config.maxHeapBytes()).validate());
            ObjectAllocator allocator = new ObjectAllocator(heap, lineSize, config.maxHeapBytes());
            try (ClassSource source = new ClassSource(classpath)) {
                Vm vm = new Vm(heap, allocator, source, parsed, store.systemSegment(config.app()), console,
                        System::nanoTime, System::currentTimeMillis);
                heap.systemLines(vm.systemSegment());
                VmLauncher launcher = new VmLauncher(vm, CallSites.standard(vm::classFile), config.quantum());
                long peak = 0;
                int exit;
                try {
                    exit = launcher.launch(mainClass, args);
                } finally {
                    console.out().flush();
                    console.err().flush();
                    PagingStats p = heap.stats();
                    peak = Math.max(launcher.peakHeapBytes(), allocator.bytesInUse());
                    stats = new DeviceStats(vm.bytecodes(), p.misses(), p.linesFlushed(), p.evictions(),
                            allocator.bytesInUse(), peak, vm.collections(), p.systemMisses(), p.systemEvictions(),
                            vm.systemSegment().blobsFetched(), vm.systemSegment().map().placements().size());
                }
                vm.systemSegment().upload();   // launch's last heap header did; a no-op unless it was skipped
                return exit;
            }
        } catch (org.vheap.device.store.StoreException e) {
            throw new DeviceException("the heap store failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof DeviceException) {
                throw e;
            }
            if (e.getClass().getName().endsWith("HeapStoreUnreachableException") || e.getClass().getName().endsWith("HeapFencedException")) {
                throw new DeviceException(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** What the last run did. */
    public DeviceStats stats() {
        return stats;
    }
}
