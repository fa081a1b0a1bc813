package org.vheap.device.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.DeviceStats;
import org.vheap.device.store.GrpcHeapStore;
import org.vheap.device.store.HeapStore;
import org.vheap.device.store.MemoryHeapStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vheap device run}: a fresh run of an app's main class on an emulated device. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run MAINCLASS from CLASSPATH (jars and class directories, ':'-separated) on an emulated "
                + "device. The program's output is the device's; the exit code is the program's.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--app", required = true, description = "The app's name in the store.")
    String app;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "The heap server (or gateway) holding the app's heap.")
    String server;

    @Option(names = "--store", paramLabel = "memory", description = "'memory': a store inside this process (nothing outlives the run).")
    String store;

    @Option(names = "--device", defaultValue = "device-1", description = "This device's name (the lease holder). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--memory", defaultValue = "512k", description = "Device memory for heap lines. Default: ${DEFAULT-VALUE}.")
    String memory;

    @Option(names = "--line-size", defaultValue = "4k", description = "Bytes per line of a new heap. Default: ${DEFAULT-VALUE}.")
    String lineSize;

    @Option(names = "--max-heap", defaultValue = "1g", description = "Virtual heap limit (OutOfMemoryError beyond). Default: ${DEFAULT-VALUE}.")
    String maxHeap;

    @Option(names = "--stats", description = "After the run, print the device's paging counters to stderr (user and system lines apart).")
    boolean stats;

    @Parameters(index = "0", paramLabel = "CLASSPATH")
    String classpath;

    @Parameters(index = "1", paramLabel = "MAINCLASS")
    String mainClass;

    @Parameters(index = "2..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if ((server == null) == (store == null)) {
            throw new IllegalArgumentException("give exactly one of --server HOST:PORT or --store memory");
        }
        if (store != null && !store.equals("memory")) {
            throw new IllegalArgumentException("--store takes 'memory', got '" + store + "'");
        }
        List<Path> entries = new ArrayList<>();
        for (String e : classpath.split(":")) {
            Path p = Path.of(e);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("class path entry " + p + " does not exist");
            }
            entries.add(p);
        }
        DeviceConfig config = new DeviceConfig().app(app).deviceName(device)
                .memoryBytes(Sizes.parse(memory, "--memory"))
                .lineSize(Math.toIntExact(Sizes.parse(lineSize, "--line-size")))
                .maxHeapBytes(Sizes.parse(maxHeap, "--max-heap"));
        try (HeapStore heapStore = server != null ? new GrpcHeapStore(server, GrpcHeapStore.DEFAULT_DEADLINE) : new MemoryHeapStore()) {
            Device device = new Device(config, heapStore, DeviceConsole.host());
            try {
                return device.run(entries, mainClass, args);
            } finally {
                if (stats) {
                    DeviceStats st = device.stats();
                    System.err.printf("vheap: %d bytecodes, %d collections; user lines: %d misses, %d flushed; system lines"
                                    + " (%d class files): %d misses, %d class files fetched from the store; %d evictions"
                                    + " (%d system)%n", st.bytecodes(), st.collections(), st.misses(), st.linesFlushed(),
                            st.classFilesPlaced(), st.systemMisses(), st.classFilesFetched(), st.evictions(),
                            st.systemEvictions());
                }
            }
        }
    }
}
