package org.vheap.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every {@code vheap} command line (the heap server's, the device's, the gateway's, the gateway bench's)
 * reports a failure: one line on standard error that starts with the command's qualified name (see below) and
 * says what to fix, and an exit code.
 *
 * <ul>
 *   <li>Bad usage that picocli finds (an unknown command or option, a missing parameter):
 *       {@code vheap device run: Missing required parameters: ... (see: ./vheap device run --help)}, exit 2.</li>
 *   <li>A command that throws: {@code vheap apps: } and {@link #oneLine}; exit 2 for an
 *       IllegalArgumentException (a bad option value), 1 for anything else (a failed operation).</li>
 * </ul>
 * The command is picocli's qualified name (the root command's name, which for a module's own entry point is
 * {@code vheap device} or {@code vheap gateway}, then the subcommands), so it is never doubled. It is what the
 * user typed except where the {@code ./vheap} launcher rewrites the command line: {@code ./vheap bench vm} and
 * {@code ./vheap bench resume} run the device's {@code bench-vm} and {@code bench-resume}, so their errors start
 * with {@code vheap device bench-vm} and {@code vheap device bench-resume}.
 */
public final class OneLineErrors {
    private OneLineErrors() {
    }

    /** Sets both handlers on {@code cli} (a root command line); returns it. */
    public static CommandLine install(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println(command(cmd) + ": " + oneLine(e));
            err.flush();
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(command(cmd) + ": " + e.getMessage() + " (see: ./" + command(cmd) + " --help)");
            err.flush();
            return 2;
        });
        return cli;
    }

    /**
     * The command's qualified name: {@code vheap bench store}, {@code vheap device run}, {@code vheap gateway health},
     * {@code vheap device bench-vm} (for {@code ./vheap bench vm}).
     */
    static String command(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }

    /**
     * A failure as one line: a gRPC status as {@code CODE: description} (a call to where nothing listens says so:
     * the channels' status hints put {@link org.vheap.client.ServerUnreachable}'s sentence into the description),
     * else the exception's message.
     */
    public static String oneLine(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            return s.getStatus().getCode() + ": " + (d == null ? "(no description)" : d);
        }
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }
}
