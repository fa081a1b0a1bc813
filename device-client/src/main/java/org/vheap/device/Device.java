package org.vheap.device;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.vheap.device.store.HeapStore;

/**
 * One emulated device running one app on the device VM: opens the app's heap in the store, boots the VM
 * over it and runs a main class to completion.
 */
public final class Device {
    private final DeviceConfig config;
    private final HeapStore store;
    private final DeviceConsole console;
    private volatile DeviceStats stats = new DeviceStats(0, 0, 0, 0, 0, 0, 0);

    public Device(DeviceConfig config, HeapStore store, DeviceConsole console) {
        config.validate();
        this.config = config;
        this.store = Objects.requireNonNull(store, "store");
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * Runs {@code mainClass} from {@code classpath} (jars and class directories) with {@code args}, and returns
     * the program's exit code: the argument of {@code System.exit}, 0 when every non-daemon thread ended, or 1
     * after an uncaught exception (printed to the console's error stream as HotSpot prints it).
     */
    public int run(List<Path> classpath, String mainClass, List<String> args) {
        throw new UnsupportedOperationException("the device VM is being built (issue 4)");
    }

    /** What the last run did. */
    public DeviceStats stats() {
        return stats;
    }
}
