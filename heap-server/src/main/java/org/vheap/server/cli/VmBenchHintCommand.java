package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap bench vm}: the device module's VM benchmark, run by the launcher. */
@Command(name = "vm", description = "The device VM vs java -Xint on the benchmark samples, and paging at 1/10 of the heap.")
final class VmBenchHintCommand extends LauncherRoutedCommand {
    VmBenchHintCommand() {
        super("./vheap bench vm");
    }
}
