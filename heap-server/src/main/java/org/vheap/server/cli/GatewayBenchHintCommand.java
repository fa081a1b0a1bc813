package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap bench gateway}: the gateway module's benchmark, run by the launcher. */
@Command(name = "gateway", description = "One-line read round trips and 500-connection throughput, direct to a heap server vs through the gateway.")
final class GatewayBenchHintCommand extends LauncherRoutedCommand {
    GatewayBenchHintCommand() {
        super("./vheap bench gateway");
    }
}
