package org.vheap.server.cli;

import java.util.List;
import java.util.Map;
import org.vheap.cli.LazySubcommands;
import org.vheap.cli.OneLineErrors;
import org.vheap.fuzz.FuzzCommand;
import org.vheap.server.fuzz.HeapImageTarget;
import org.vheap.server.fuzz.StoreRequestsTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code vheap}: the user's command line for the heap server and the store. The {@code ./vheap} launcher
 * runs this for every command of the heap-server module. Failures print one line that says what to fix,
 * with exit code 2 for bad usage and 1 for a failed operation ({@link OneLineErrors}).
 */
@Command(name = "vheap", mixinStandardHelpOptions = true, version = "vheap 0.1.0",
        description = "A virtual heap for a Java virtual machine: heap server, gateway, store tools, device control, benchmarks.")
public final class VheapCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The subcommands, in the order help lists them; built only when they run ({@link LazySubcommands}). */
    private static final List<LazySubcommands.Subcommand> SUBCOMMANDS = LazySubcommands.of(List.of(ServerCommand.class,
                    GatewayHintCommand.class, DeviceHintCommand.class, AppsCommand.class, CheckpointsCommand.class,
                    DeleteCheckpointCommand.class, DeleteAppCommand.class, ExportCommand.class, ImportCommand.class,
                    InspectCommand.class, VerifyCommand.class, GcCommand.class, TokenCommand.class, QuotaCommand.class,
                    DevicesCommand.class, SuspendCommand.class, ResumeCommand.class, MigrateCommand.class, HealthCommand.class,
                    DistributeCommand.class, AfterRestoreCommand.class, TortureCommand.class, BenchCommand.class,
                    DemoCommand.class, CommandLine.HelpCommand.class),
            LazySubcommands.Subcommand.named("fuzz", () -> new FuzzCommand(Map.of(
                    "store-requests", new FuzzCommand.Target(StoreRequestsTarget.class.getName(), List.of(),
                            "heap-server/src/fuzz/store-requests"),
                    "heap-image", new FuzzCommand.Target(HeapImageTarget.class.getName(), List.of(),
                            "heap-server/src/fuzz/heap-image")))));

    static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line that runs {@code args}, as {@code ./vheap} makes it (for tests that run it in their JVM): with only
     * the subcommand they name, if they name one; failures reported as {@link OneLineErrors} says.
     */
    public static CommandLine commandLine(String... args) {
        return OneLineErrors.install(LazySubcommands.commandLine(new VheapCli(), args, SUBCOMMANDS));
    }
}
