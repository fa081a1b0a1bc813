package org.vheap.server.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vheap}: the user's command line for the heap server and the store. The {@code ./vheap} launcher
 * runs this for every command of the heap-server module. Failures print one line that says what to fix,
 * with exit code 2 for bad usage and 1 for a failed operation.
 */
@Command(name = "vheap", mixinStandardHelpOptions = true, version = "vheap 0.1.0",
        description = "A virtual heap for a Java virtual machine: heap server, gateway, store tools, device control, benchmarks.",
        subcommands = {ServerCommand.class, GatewayHintCommand.class, DeviceHintCommand.class, AppsCommand.class, CheckpointsCommand.class,
                DeleteCheckpointCommand.class, DeleteAppCommand.class, TokenCommand.class, DevicesCommand.class, SuspendCommand.class,
                ResumeCommand.class, MigrateCommand.class, HealthCommand.class, BenchCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class VheapCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VheapCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("vheap " + cmd.getCommandName() + ": " + oneLine(e));
            err.flush();
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("vheap: " + e.getMessage() + " (see: vheap " + e.getCommandLine().getCommandName() + " --help)");
            err.flush();
            return 2;
        });
        return cli;
    }

    /** A failure as one line: gRPC status code and description, or the exception's message. */
    static String oneLine(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            if (s.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE && (d == null || d.startsWith("io exception"))
                    && !(d != null && d.contains("TLS"))) {
                return "UNAVAILABLE: cannot reach the heap server (is it running? start one with: ./vheap server)";
            }
            return s.getStatus().getCode() + ": " + (d == null ? "(no description)" : d);
        }
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }
}
