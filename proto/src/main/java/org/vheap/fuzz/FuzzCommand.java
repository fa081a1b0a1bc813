package org.vheap.fuzz;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vheap.cli.TempDirs;
import org.vheap.cli.VheapHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vheap fuzz TARGET}: runs one of a module's fuzz targets under Jazzer ({@link JazzerRun}) from its seed corpus
 * in the checkout ({@code MODULE/src/fuzz/TARGET}), and says how many inputs ran, what they covered and whether one
 * failed (exit 1, naming the input Jazzer wrote). Each module that has targets adds this command with its own; the
 * {@code ./vheap} launcher sends each target to its module.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuzz one target with Jazzer from its seed corpus: class-files (the device's class loading and",
                "verification), vm-state (a checkpoint's VM state read for a resume), store-requests (every request of the heap",
                "store and the control plane, sent to a heap server on the embedded PostgreSQL), heap-image (a heap image file",
                "read as ./vheap import reads it). Exit 0 when no input failed."})
public final class FuzzCommand implements Callable<Integer> {
    /** A target of this module: its class, the packages covered besides vheap's, its seed corpus under the checkout. */
    public record Target(String className, List<String> alsoCovered, String seeds) {
    }

    private final Map<String, Target> targets;

    @Parameters(index = "0", paramLabel = "TARGET", description = "class-files, vm-state, store-requests or heap-image")
    String target;

    @Option(names = "--runs", defaultValue = "100000", paramLabel = "N", description = "inputs to run (default: ${DEFAULT-VALUE})")
    long runs;

    @Option(names = "--max-time", defaultValue = "1h", paramLabel = "DURATION",
            description = "stop after this long even if fewer inputs ran (default: ${DEFAULT-VALUE})")
    String maxTime;

    @Option(names = "--work", paramLabel = "DIR",
            description = "where the corpus it grows and any failing input go (default: a temporary directory, deleted after"
                    + " a run without failure)")
    Path work;

    @Spec
    CommandSpec spec;

    public FuzzCommand(Map<String, Target> targets) {
        this.targets = Map.copyOf(targets);
    }

    @Override
    public Integer call() throws Exception {
        Target t = targets.get(target);
        if (t == null) {
            throw new IllegalArgumentException("no fuzz target '" + target + "' here: one of " + String.join(", ",
                    targets.keySet().stream().sorted().toList()) + " (./vheap fuzz sends each target to its module)");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        Duration limit = org.vheap.cli.CliValues.duration("--max-time", maxTime);
        Path seeds = VheapHome.locate(FuzzCommand.class).resolve(t.seeds());
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("vheap-fuzz-");
        PrintWriter out = spec.commandLine().getOut();
        out.println("vheap fuzz " + target + ": up to " + runs + " inputs (at most " + limit.toSeconds() + " s) from "
                + seeds + "; working under " + dir);
        out.flush();
        long t0 = System.nanoTime();
        JazzerRun.Result r = JazzerRun.run(t.className(), t.alsoCovered(), seeds, dir, runs, limit, line -> {
            if (line.contains(" pulse ") || line.contains(" DONE ") || line.startsWith("== ") || line.startsWith("\tat ")) {
                out.println("  " + line);
                out.flush();
            }
        });
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        if (r.failure() != null) {
            out.println("vheap fuzz " + target + ": FAILED after " + r.inputs() + " inputs in " + seconds + " s: "
                    + r.failure().lines().findFirst().orElse("") + (r.artifact() == null ? "" : "; the input: " + r.artifact()));
            return 1;
        }
        out.println("vheap fuzz " + target + ": " + r.inputs() + " inputs in " + seconds + " s, no failure; " + r.coverage()
                + " code edges covered (" + r.features() + " features), corpus of " + r.corpus() + " inputs");
        if (work == null) {
            TempDirs.deleteTree(dir);
        }
        return 0;
    }
}
