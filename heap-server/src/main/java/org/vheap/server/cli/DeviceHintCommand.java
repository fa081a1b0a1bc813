package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap device}: the device module's command line, run by the launcher. */
@Command(name = "device", description = "Run Java programs on an emulated device (./vheap device --help).")
final class DeviceHintCommand extends LauncherRoutedCommand {
    DeviceHintCommand() {
        super("./vheap device --help");
    }
}
