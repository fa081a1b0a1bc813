package org.vheap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A root command line built for its arguments: only the subcommand named first is made; anything else gets them all,
 * in order, so help, suggestions and the help command work as with picocli's {@code subcommands} attribute.
 */
class LazySubcommandsTest {
    @Command(name = "root", mixinStandardHelpOptions = true)
    static final class Root {
    }

    @Command(name = "alpha", description = "The first.")
    static final class Alpha implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("alpha failed");
        }
    }

    @Command(name = "beta", subcommands = Inner.class)
    static final class Beta {
    }

    @Command(name = "inner")
    static final class Inner implements Callable<Integer> {
        @Override
        public Integer call() {
            return 7;
        }
    }

    /** Counts the instances made of the subcommand made from a supplier. */
    private final AtomicInteger gammasMade = new AtomicInteger();

    @Command(name = "gamma")
    static final class Gamma implements Callable<Integer> {
        @Override
        public Integer call() {
            return 3;
        }
    }

    private List<LazySubcommands.Subcommand> subcommands() {
        return LazySubcommands.of(List.of(Alpha.class, Beta.class, CommandLine.HelpCommand.class),
                LazySubcommands.Subcommand.named("gamma", () -> {
                    gammasMade.incrementAndGet();
                    return new Gamma();
                }));
    }

    private CommandLine commandLine(String... args) {
        return OneLineErrors.install(LazySubcommands.commandLine(new Root(), args, subcommands()));
    }

    @Test
    void aSubcommandNamedFirstIsTheOnlyOneMadeAndRunsWithItsOwnSubcommands() {
        assertThat(commandLine("beta", "inner").getSubcommands().keySet()).containsExactly("beta");
        assertThat(commandLine("beta", "inner").execute("beta", "inner")).isEqualTo(7);
        assertThat(commandLine("alpha").getSubcommands().keySet()).containsExactly("alpha");
        assertThat(gammasMade).hasValue(0);
        assertThat(commandLine("gamma").execute("gamma")).isEqualTo(3);
        assertThat(gammasMade).hasValue(1);
    }

    @Test
    void noSubcommandAnOptionHelpOrAnUnknownWordGetsThemAllInOrder() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "alpha"},
                new String[] {"alpah"})) {
            assertThat(commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactly("alpha", "beta", "help", "gamma");
        }
        StringWriter out = new StringWriter();
        CommandLine cli = commandLine("help", "alpha");
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("help", "alpha")).isZero();
        assertThat(out.toString()).contains("Usage: root alpha").contains("The first.");
    }

    @Test
    void theRootsSettingsReachASubcommandMadeAlone() {
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine("alpha");
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("alpha")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("root alpha: alpha failed");
    }

    @Test
    void aClassWithoutACommandNameIsRefused() {
        assertThatThrownBy(() -> LazySubcommands.Subcommand.of(String.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
    }
}
