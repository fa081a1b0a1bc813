package org.vheap.cli;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A root command line that builds only the subcommand it runs. Picocli builds a command's model (its options, their
 * types and converters, found by reflection) when the command is added, and on a cold JVM that is bytecode the JIT has
 * not compiled: the heap server's command line, 26 subcommands, spent 370-400 ms on its model before running any,
 * against 190 ms for one subcommand alone (whole processes before and after: docs/benchmarks.md, Start-up). So with a
 * subcommand's name first on the command line only that one is added; otherwise (no arguments, an option such as
 * {@code --help}, {@code help}, or a word that is no subcommand, which picocli answers with suggestions) all are, in
 * their order, and the command line is the same as with picocli's {@code subcommands} attribute.
 *
 * <p>A subcommand's own subcommands (its {@code subcommands} attribute) come with it. Settings made on the root
 * afterwards ({@link OneLineErrors#install}) reach the subcommands added here, since they are added first.
 */
public final class LazySubcommands {
    private LazySubcommands() {
    }

    /**
     * A subcommand of a root: the name it is called by, what picocli builds it from (an annotated class, which picocli
     * instantiates, or an instance), and whether it lists its siblings (picocli's {@code help}, which describes the
     * root's other subcommands): such a subcommand is never built alone, the command line has them all.
     */
    public record Subcommand(String name, Supplier<Object> command, boolean listsSiblings) {
        /** The subcommand of an annotated class, called by its {@code @Command(name)}. */
        public static Subcommand of(Class<?> type) {
            Command c = type.getAnnotation(Command.class);
            if (c == null || c.name().isEmpty() || c.aliases().length > 0) {
                throw new IllegalArgumentException(type.getName() + " needs a @Command with a name and no aliases");
            }
            return new Subcommand(c.name(), () -> type, CommandLine.IHelpCommandInitializable2.class.isAssignableFrom(type));
        }

        /** A subcommand called {@code name}, made by {@code command} when it is added. */
        public static Subcommand named(String name, Supplier<Object> command) {
            return new Subcommand(name, command, false);
        }
    }

    /** The subcommands of annotated classes ({@link Subcommand#of}), then {@code more}, in that order. */
    public static List<Subcommand> of(List<Class<?>> annotated, Subcommand... more) {
        return Stream.concat(annotated.stream().map(Subcommand::of), Stream.of(more)).toList();
    }

    /** The command line of {@code root} for {@code args}: with the subcommand they name, or with all of them. */
    public static CommandLine commandLine(Object root, String[] args, List<Subcommand> subcommands) {
        CommandLine cli = new CommandLine(root);
        String first = args.length == 0 ? null : args[0];
        List<Subcommand> added = subcommands.stream()
                .filter(s -> !s.listsSiblings() && s.name().equals(first))
                .findFirst().map(List::of).orElse(subcommands);
        for (Subcommand s : added) {
            cli.addSubcommand(s.name(), s.command().get());
        }
        return cli;
    }
}
