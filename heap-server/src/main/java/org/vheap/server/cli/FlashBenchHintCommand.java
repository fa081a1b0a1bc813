package org.vheap.server.cli;

import picocli.CommandLine.Command;

/** {@code vheap bench flash}: the device module's flash store benchmark, run by the launcher. */
@Command(name = "flash", description = "The flash store (--store flash:DIR): bytes written per checkpoint against the bytes the app changed, patches vs whole lines; write amplification as the flash fills; a sample in front of a heap server vs the server alone.")
final class FlashBenchHintCommand extends LauncherRoutedCommand {
    FlashBenchHintCommand() {
        super("./vheap bench flash");
    }
}
