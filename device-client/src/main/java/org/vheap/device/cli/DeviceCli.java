package org.vheap.device.cli;

import java.util.List;
import java.util.Map;
import org.vheap.cli.LazySubcommands;
import org.vheap.cli.OneLineErrors;
import org.vheap.device.fuzz.ClassFilesTarget;
import org.vheap.device.fuzz.VmStateTarget;
import org.vheap.fuzz.FuzzCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vheap device}: runs apps on an emulated device. The {@code ./vheap} launcher sends every
 * {@code device} command here. Failures of the device itself print one line (exit 2 for bad usage, 1 for a
 * failed operation); otherwise the exit code is the app's.
 */
@Command(name = "vheap device", mixinStandardHelpOptions = true, version = "vheap 0.1.0",
        description = "Run Java programs on an emulated device whose heap lives in a heap store.")
public final class DeviceCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The subcommands, in the order help lists them; built only when they run ({@link LazySubcommands}). */
    private static final List<LazySubcommands.Subcommand> SUBCOMMANDS = LazySubcommands.of(List.of(RunCommand.class,
                    ResumeCommand.class, StartCommand.class, VmBench.class, ResumeBench.class, FlashBench.class,
                    HeapToolsBench.class, CommandLine.HelpCommand.class),
            LazySubcommands.Subcommand.named("fuzz", () -> new FuzzCommand(Map.of(
                    "class-files", new FuzzCommand.Target(ClassFilesTarget.class.getName(), List.of("org.objectweb.asm.**"),
                            "device-client/src/fuzz/class-files"),
                    "vm-state", new FuzzCommand.Target(VmStateTarget.class.getName(), List.of(),
                            "device-client/src/fuzz/vm-state")))));

    static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line that runs {@code args}, as {@code ./vheap device} makes it: with only the subcommand they name, if
     * they name one; failures reported as {@link OneLineErrors} says.
     */
    static CommandLine commandLine(String... args) {
        return OneLineErrors.install(LazySubcommands.commandLine(new DeviceCli(), args, SUBCOMMANDS));
    }
}
