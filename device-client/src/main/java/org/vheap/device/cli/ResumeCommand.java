package org.vheap.device.cli;

import java.util.concurrent.Callable;
import org.vheap.device.Device;
import org.vheap.device.DeviceConsole;
import org.vheap.device.store.HeapStore;
import org.vheap.device.vm.loader.ParsedClasses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vheap device resume}: goes on with an app from one of its checkpoints, on this device. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume an app from a checkpoint (the newest by default) on this device: its output goes on "
                + "where it stopped. Needs no class path: the app's files come from the store (a heap server, or --store flash:DIR). The device checkpoints "
                + "every 10 s (--checkpoint-interval; 0s: off), so a crash (kill -9) loses at most the last 10 s.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    DeviceOptions options;

    @Option(names = "--checkpoint", paramLabel = "ID", defaultValue = "0", description = "The checkpoint to resume (0: the newest). Default: ${DEFAULT-VALUE}.")
    long checkpoint;

    @Override
    public Integer call() {
        if (checkpoint < 0) {
            throw new IllegalArgumentException("--checkpoint takes a checkpoint id (see ./vheap checkpoints --app " + options.app + "), got " + checkpoint);
        }
        try (HeapStore heapStore = options.openPersistentStore()) {
            Device device = new Device(options.config(), heapStore, DeviceConsole.host(), new ParsedClasses(), options.events());
            return SuspendOnSignal.around(device, options, () -> device.resume(checkpoint));
        }
    }
}
