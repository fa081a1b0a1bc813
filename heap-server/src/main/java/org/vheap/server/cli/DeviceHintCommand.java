package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap device}: the device module's command line, run by the launcher. */
@Command(name = "device", description = "Emulated devices: run, resume, start (a long-running device for several apps; ./vheap device --help).")
final class DeviceHintCommand extends LauncherRoutedCommand {
    DeviceHintCommand() {
        super("./vheap device --help");
    }
}
