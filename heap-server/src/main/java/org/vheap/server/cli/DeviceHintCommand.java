package org.vheap.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vheap device}: listed here so {@code ./vheap --help} shows it; the launcher runs the device module's
 * own command line for it. Reached only when this class is run without the launcher.
 */
@Command(name = "device", description = "Run Java programs on an emulated device (./vheap device --help).")
final class DeviceHintCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        throw new IllegalArgumentException("the device commands run through the launcher: ./vheap device --help");
    }
}
