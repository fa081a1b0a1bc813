package org.vheap.server.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.vheap.server.cli.VheapCli;
import picocli.CommandLine;

/** One run of the {@code vheap} command line in this JVM, as a test sees it: the exit code and both streams. */
public record CliRun(int exit, String out, String err) {
    /** Runs {@code ./vheap ARGS} as a command line would, in this JVM. */
    public static CliRun of(String... args) {
        CommandLine cli = VheapCli.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
