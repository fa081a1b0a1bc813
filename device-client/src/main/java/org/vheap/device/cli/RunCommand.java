package org.vheap.device.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.cli.CliValues;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.DeviceStats;
import org.vheap.device.store.HeapStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vheap device run}: a fresh run of an app's main class on an emulated device. With {@code --server} it
 * checkpoints every 10 s by default ({@code DeviceConfig#checkpointInterval}); with {@code --store memory} not.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run MAINCLASS from CLASSPATH (jars and class directories, ':'-separated) on an emulated "
                + "device. The program's output is the device's; the exit code is the program's. Ctrl-C (or SIGTERM) "
                + "suspends the app with a checkpoint: ./vheap device resume goes on from there. With --server the "
                + "device also checkpoints every 10 s (--checkpoint-interval; 0s: off), so a crash (kill -9) loses at "
                + "most the last 10 s; --store memory keeps nothing past the process and takes no periodic checkpoint.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Option(names = "--line-size", defaultValue = "4k", description = "Bytes per line of a new heap. Default: ${DEFAULT-VALUE}.")
    String lineSize;

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
        List<Path> entries = new ArrayList<>();
        for (String e : classpath.split(":")) {
            Path p = Path.of(e);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("class path entry " + p + " does not exist");
            }
            entries.add(p);
        }
        DeviceConfig config = options.config().lineSize(Math.toIntExact(CliValues.positiveBytes("--line-size", lineSize)));
        try (HeapStore heapStore = options.openStore(false)) {
            Device device = new Device(config, heapStore, DeviceConsole.host(), new org.vheap.device.vm.loader.ParsedClasses(),
                    options.events());
            try {
                return SuspendOnSignal.around(device, options, () -> device.run(entries, mainClass, args));
            } finally {
                if (stats) {
                    DeviceStats st = device.stats();
                    System.err.printf("vheap: %d bytecodes interpreted, %d methods translated; %d collections (%d minor: %d KiB promoted from a %d KiB nursery;"
                                    + " %d young; %d of a %d KiB working set; %d full, %d KiB moved compacting);"
                                    + " user lines: %d misses, %d read from the store,"
                                    + " %d flushed (%d background writes failed), %d discarded as garbage, %d deleted;"
                                    + " system lines (%d class files): %d"
                                    + " misses, %d class files fetched from the store; %d evictions (%d system)%n",
                            st.bytecodes(), st.methodsTranslated(), st.collections(), st.minorCollections(), st.bytesPromoted() >> 10,
                            st.nurseryBytes() >> 10, st.youngCollections(), st.workingSetCollections(), st.workingSetBytes() >> 10,
                            st.collectionPauseNanos().length, st.bytesCompacted() >> 10, st.misses(), st.linesFetched(),
                            st.linesFlushed(), st.backgroundWritesFailed(), st.linesDiscarded(), st.linesDeleted(),
                            st.classFilesPlaced(),
                            st.systemMisses(), st.classFilesFetched(), st.evictions(), st.systemEvictions());
                }
            }
        }
    }
}
