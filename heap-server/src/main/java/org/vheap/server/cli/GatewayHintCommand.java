package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap gateway}: the gateway module's command line, run by the launcher. */
@Command(name = "gateway", description = "Run a gateway proxy in front of heap servers (./vheap gateway --help).")
final class GatewayHintCommand extends LauncherRoutedCommand {
    GatewayHintCommand() {
        super("./vheap gateway --help");
    }
}
