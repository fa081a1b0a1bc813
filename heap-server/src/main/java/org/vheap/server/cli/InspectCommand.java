package org.vheap.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ./vheap inspect --app A [--checkpoint N] WHAT}: a look inside a committed checkpoint with no device, from the
 * heap server. {@code --app} and {@code --checkpoint} may come before or after {@code WHAT}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, subcommands = {InspectSummaryCommand.class},
        description = "Look inside an app's committed checkpoint with no device running it (a suspended app, or a"
                + " checkpoint of one that runs). Needs the admin token.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--app", required = true, paramLabel = "NAME", scope = ScopeType.INHERIT, description = "the app")
    String app;

    @Option(names = "--checkpoint", defaultValue = "0", paramLabel = "ID", scope = ScopeType.INHERIT,
            description = "the checkpoint (default: the newest; see ./vheap checkpoints)")
    long checkpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to inspect: summary");
    }
}
