package org.vheap.server.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vheap.cli.VheapHome;
import org.vheap.server.torture.CrashMatrix;
import org.vheap.server.torture.KillKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vheap torture}: the crash matrix ({@link CrashMatrix}). */
@Command(name = "torture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The crash matrix: an app that checks its own heap runs on a device against a heap server on the",
                "embedded PostgreSQL; at each point one process is killed with SIGKILL (a device at a random moment, inside",
                "its collector or with a write acknowledged, the heap server with its PostgreSQL, a PostgreSQL backend, or the",
                "gateway the devices then go through), started again, and the app must go on from exactly a checkpoint",
                "reported committed, or a newer one. Prints a table per kind. Exit 0: nothing lost or torn; 3: something lost",
                "or torn (the table says what); 1: the run could not go on (one line says why)."})
final class TortureCommand implements Callable<Integer> {
    /** The exit code of a run that lost or tore a checkpoint (1 is a run that could not go on). */
    static final int LOST_OR_TORN = 3;

    @Option(names = "--points", defaultValue = "20", paramLabel = "N", description = "kills to make (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random choice (default: the clock; printed)")
    Long seed;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
            description = {"the kinds to draw from (default: all): device, device-minor, device-promotion, device-young, device-flush,",
                    "device-preflush, device-commit,",
                    "server, postgres, gateway (when chosen, the devices reach the server through a gateway)"})
    Set<String> kinds;

    @Option(names = "--cycle", description = "take the kinds in turn (in the order above) instead of drawing them: a short run meets each")
    boolean cycle;

    @Option(names = "--flash", description = {"no heap server: the devices keep the app in their own flash store",
            "(--store flash:DIR, 16k blocks, --flash-size 16m); the device kinds only (the default then)"})
    boolean flash;

    @Option(names = "--fronted", description = {"the devices keep the app in their flash in front of the heap server",
            "(--store flash:DIR --server: checkpoints shipped in the background), every kind"})
    boolean fronted;

    @Option(names = "--work", paramLabel = "DIR",
            description = "where the heap server's data and the app go (default: a temporary directory, deleted after)")
    Path work;

    @Override
    public Integer call() throws Exception {
        Set<KillKind> chosen = EnumSet.allOf(KillKind.class);
        if (flash) {
            chosen.removeIf(k -> !k.killsTheDevice());
        }
        if (kinds != null) {
            chosen = EnumSet.noneOf(KillKind.class);
            for (String k : kinds) {
                chosen.add(KillKind.parse(k.strip()));
            }
        }
        long s = seed != null ? seed : System.currentTimeMillis();
        CrashMatrix.Settings settings = new CrashMatrix.Settings(points, s, chosen, cycle, work, flash, fronted);
        System.out.println("vheap torture: " + points + " points, seed " + s + ", kinds " + String.join(", ",
                chosen.stream().map(KillKind::optionName).toList()) + (cycle ? " in turn" : "")
                + (flash ? ", on the devices' flash store" : fronted ? ", the devices' flash in front of the server" : ""));
        CrashMatrix.Result r = new CrashMatrix(VheapHome.locate(TortureCommand.class), settings, System.out).run();
        return r.lostOrTorn() == 0 ? 0 : LOST_OR_TORN;
    }
}
