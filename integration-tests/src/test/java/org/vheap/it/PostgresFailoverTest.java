package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap server riding a PostgreSQL failover (pg_auto_failover: {@link AutoFailoverCluster}): the server has both
 * nodes in its URL ({@code targetServerType=primary}); a device runs Tally (a checkpoint after every count); the
 * primary node is killed whole with SIGKILL; the monitor promotes the secondary; the server reconnects to it and the
 * device, paused meanwhile, goes on. Every checkpoint the device was told was committed is still there: the app goes
 * on from one at or after the last it printed (a device whose asynchronous flushes the old primary took with it stops
 * with DATA_LOSS and is resumed, as after any database crash). Every part is a process.
 */
class PostgresFailoverTest {
    private static final Pattern COMMITTED = Pattern.compile("(?m)^committed (\\d+) (\\d+)$");

    @Test
    void aHeapServerRidesAFailoverAndNoCommittedCheckpointIsLost(@TempDir Path work) throws Exception {
        AutoFailoverCluster.requireInstalled();
        try (AutoFailoverCluster pg = AutoFailoverCluster.start(); VheapProcesses vheap = new VheapProcesses(work)) {
            String server = vheap.startServer("--db-url", pg.jdbcUrl(), "--db-user", "postgres");
            String cp = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();
            VheapProcesses.Started device = vheap.start("device", "run", "--app", "failover", "--device", "dev-f",
                    "--server", server, "--memory", "256k", "--store-retry", "3m", cp, "Tally", "100000", "20", "50");
            device.awaitOutput("committed 30 ", Duration.ofMinutes(2));

            long killed = System.nanoTime();
            pg.killNode(0);
            long told = lastCommitted(device.output());
            pg.awaitStates(Map.of(1, "wait_primary"));
            long promoted = System.nanoTime();

            String output = device.output();
            long committedBefore = told;
            long wanted = told + 20;
            // the device goes on; or, if the lost primary took flushes it had acknowledged, it stops and is resumed
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            VheapProcesses.Started running = device;
            int resumes = 0;
            while (lastCommitted(running.output()) < wanted) {
                assertThat(System.nanoTime()).as("the app went on within 3 minutes:\n%s\n%s",
                        VheapProcesses.tail(running.output()), VheapProcesses.tail(running.errors())).isLessThan(deadline);
                if (!running.process().isAlive()) {
                    assertThat(running.errors()).as("a device stops only for lost flushes").contains("DATA_LOSS");
                    output += running.output();
                    running = vheap.start("device", "resume", "--app", "failover", "--device", "dev-f" + (++resumes),
                            "--server", server, "--store-retry", "3m");
                    running.awaitOutput("committed ", Duration.ofMinutes(2));
                    Matcher first = COMMITTED.matcher(running.output());
                    assertThat(first.find()).isTrue();
                    assertThat(Long.parseLong(first.group(1))).as("resumed at or after the last commit printed")
                            .isGreaterThanOrEqualTo(committedBefore);
                }
                Thread.sleep(100);
            }
            System.out.printf("failover: the secondary promoted %.1f s after the primary was killed; the app %d commits on"
                    + " %.1f s after it, resumed %d times (lost flushes)%n", (promoted - killed) / 1e9, wanted - told,
                    (System.nanoTime() - killed) / 1e9, resumes);
            String after = running.output();
            assertThat(after).doesNotContain("CORRUPT");
            List<Long> counts = VheapProcesses.counts(running == device ? after : output + after);
            assertThat(counts).as("counts go on").isNotEmpty();
            if (running == device) {
                for (int i = 1; i < counts.size(); i++) {
                    assertThat(counts.get(i)).as("count after %d", counts.get(i - 1)).isEqualTo(counts.get(i - 1) + 1);
                }
            }
            assertThat(lastCommitted(after)).isGreaterThanOrEqualTo(wanted);
            running.process().destroy();
        }
    }

    private static long lastCommitted(String output) {
        Matcher m = COMMITTED.matcher(output);
        long last = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }
}
