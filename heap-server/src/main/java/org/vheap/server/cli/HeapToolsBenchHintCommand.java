package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap bench heap-tools}: the device module's heap-tools benchmark, run by the launcher. */
@Command(name = "heap-tools", description = "Export and import of a heap image (the BigData sample suspended on a heap server) against streaming the same checkpoint's lines.")
final class HeapToolsBenchHintCommand extends LauncherRoutedCommand {
    HeapToolsBenchHintCommand() {
        super("./vheap bench heap-tools");
    }
}
