package org.vheap.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vheap bench vm}: listed here so {@code ./vheap bench --help} shows it; the launcher runs the device
 * module's benchmark for it. Reached only when this class is run without the launcher.
 */
@Command(name = "vm", description = "The device VM vs java -Xint on the benchmark samples, and paging at 1/10 of the heap.")
final class VmBenchHintCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        throw new IllegalArgumentException("the VM benchmark runs through the launcher: ./vheap bench vm");
    }
}
