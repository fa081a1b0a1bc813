package org.vheap.device.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vheap.device.Device;
import org.vheap.device.DeviceConfig;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.HeapStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vheap device run}: a fresh run of an app's main class on an emulated device. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run MAINCLASS from CLASSPATH (jars and class directories, ':'-separated) on an emulated "
                + "device. The program's output is the device's; the exit code is the program's. Ctrl-C (or SIGTERM) "
                + "suspends the app with a checkpoint: ./vheap device resume goes on from there.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Option(names = "--line-size", defaultValue = "4k", description = "Bytes per line of a new heap. Default: ${DEFAULT-VALUE}.")
    String lineSize;

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
        DeviceConfig config = options.config().lineSize(Math.toIntExact(Sizes.parse(lineSize, "--line-size")));
        try (HeapStore heapStore = options.openStore(false)) {
            Device device = new Device(config, heapStore, DeviceConsole.host(), new org.vheap.device.vm.loader.ParsedClasses(),
                    options.events());
            return SuspendOnSignal.around(device, options, () -> device.run(entries, mainClass, args));
        }
    }
}
