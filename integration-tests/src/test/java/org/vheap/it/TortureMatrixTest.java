package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./vheap torture}, bounded for CI: two turns of every kill kind (a device at a random moment, inside each of its
 * collections and writes, the heap server with its PostgreSQL, a PostgreSQL backend, the gateway), each checked by the
 * app going on from exactly a checkpoint reported committed. The table must list every kind with its two points, every
 * point gone on exactly, none lost or torn, and the command must say so and exit 0. The README's figure is the same
 * command with {@code --points 500} and the kinds drawn at random.
 */
class TortureMatrixTest {
    private static final List<String> KINDS = List.of("device, running", "device, minor collection", "device, promotion",
            "device, young collection", "device, flushing", "device, pre-flushing", "device, checkpointing",
            "heap server + PostgreSQL", "PostgreSQL backend", "gateway");
    private static final Pattern ROW = Pattern.compile("^(.+?)\\s{2,}(\\d+)\\s{2,}(\\d*)\\s*?\\s{2,}(\\d+)\\s{2,}(\\d+)$");

    private Path work;
    private VheapProcesses vheap;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createTempDirectory("vheap-torture-test");
        vheap = new VheapProcesses(work);
    }

    @AfterEach
    void tearDown() throws Exception {
        vheap.close();
        org.vheap.cli.TempDirs.deleteTree(work);
    }

    @Test
    void everyKindOfKillTwiceAndTheAppGoesOnFromItsLastCommittedCheckpointEachTime() throws Exception {
        checkMatrix(KINDS, 2, "--seed", "11");
    }

    /** With {@code --flash}, no heap server: the devices keep the app in their flash store, killed in every way once. */
    @Test
    void onTheDevicesFlashStoreEveryKindOfDeviceKillOnce() throws Exception {
        checkMatrix(KINDS.stream().filter(k -> k.startsWith("device")).toList(), 1, "--seed", "5", "--flash");
    }

    /**
     * With {@code --fronted}, the devices' flash in front of the heap server: checkpoints reach the server in the
     * background, and a device killed before shipping one ships it when the next opens the directory; every kind once.
     */
    @Test
    void withTheDevicesFlashInFrontOfTheServerEveryKindOfKillOnce() throws Exception {
        checkMatrix(KINDS, 1, "--seed", "7", "--fronted");
    }

    @Test
    void aFlashRunWithAKindThatKillsNoDeviceIsRefusedSayingWhy() throws Exception {
        VheapProcesses.Started run = vheap.start("torture", "--flash", "--kinds", "device,server", "--points", "1");
        assertThat(run.awaitExit(Duration.ofMinutes(2))).isNotZero();
        assertThat(run.output() + run.errors()).contains("--flash runs no heap server, postgres or gateway");
    }

    /**
     * Runs the matrix over {@code kinds} in turn, {@code turns} times each, and checks its table: every kind with its
     * points, every point gone on exactly, none lost or torn, said so, exit 0.
     */
    private void checkMatrix(List<String> kinds, int turns, String... options) throws Exception {
        int points = turns * kinds.size();
        List<String> args = new java.util.ArrayList<>(List.of("torture", "--points", Integer.toString(points), "--cycle",
                "--work", work.resolve("matrix").toString()));
        args.addAll(List.of(options));
        VheapProcesses.Started run = vheap.start(args.toArray(String[]::new));
        int exit = run.awaitExit(Duration.ofMinutes(15));
        String out = run.output();
        assertThat(exit).as("exit code; output:\n%s\nerrors:\n%s", VheapProcesses.tail(out), VheapProcesses.tail(run.errors()))
                .isZero();
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = ROW.matcher(line.strip());
            if (m.matches()) {
                rows.put(m.group(1), new long[] {Long.parseLong(m.group(2)),
                        m.group(3).isEmpty() ? -1 : Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5))});
            }
        }
        for (String kind : kinds) {
            assertThat(rows).as("rows of the table:\n%s", out).containsKey(kind);
            long[] r = rows.get(kind);
            assertThat(r[0]).as("%s: points", kind).isEqualTo(turns);
            assertThat(r[2]).as("%s: went on exactly", kind).isEqualTo(turns);
            assertThat(r[3]).as("%s: lost or torn", kind).isZero();
        }
        long[] all = rows.get("all");
        assertThat(all).as("the table's total row:\n%s", out).isNotNull();
        assertThat(all[0]).isEqualTo(points);
        assertThat(all[1]).as("checkpoints committed").isGreaterThan(points);
        assertThat(all[2]).isEqualTo(points);
        assertThat(all[3]).isZero();
        assertThat(out).contains(points + " points in ").contains("no checkpoint lost or torn");
    }
}
