package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap bench resume}: the device module's resume benchmark, run by the launcher. */
@Command(name = "resume", description = "Resume latency of a 10 MiB heap (warm and cold devices, lazy and eager, step by step, through the control plane), checkpoint latency, bytes moved when an app returns to a device.")
final class ResumeBenchHintCommand extends LauncherRoutedCommand {
    ResumeBenchHintCommand() {
        super("./vheap bench resume");
    }
}
