package org.vheap.server.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print ratios measured side by side in one run.",
        subcommands = {StoreBench.class, CitusBench.class, FleetBench.class, VmBenchHintCommand.class, ResumeBenchHintCommand.class, FlashBenchHintCommand.class, HeapToolsBenchHintCommand.class, GatewayBenchHintCommand.class})
final class BenchCommand {
}
