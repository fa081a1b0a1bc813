package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.server.torture.TallyApp;

/**
 * A heap server riding a PostgreSQL failover (pg_auto_failover: {@link AutoFailoverCluster}): the server has both
 * nodes in its URL ({@code targetServerType=primary}); a device runs Tally (a checkpoint after every count); the
 * primary node is killed whole with SIGKILL; the monitor promotes the secondary; the server reconnects to it and the
 * device, paused meanwhile, goes on. Every checkpoint the device was told was committed is still there: the app goes
 * on from one at or after the last it printed (a device whose asynchronous flushes the old primary took with it stops
 * with DATA_LOSS and is resumed, as after any database crash). Every part is a process.
 */
class PostgresFailoverTest {
    @Test
    void aHeapServerRidesAFailoverAndNoCommittedCheckpointIsLost(@TempDir Path work) throws Exception {
        AutoFailoverCluster.requireInstalled();
        try (AutoFailoverCluster pg = AutoFailoverCluster.start(); VheapProcesses vheap = new VheapProcesses(work)) {
            // every checkpoint kept, so the one the device was told of before the kill can be looked up after it
            String server = vheap.startServer("--db-url", pg.jdbcUrl(), "--db-user", "postgres", "--retain", "1000");
            String cp = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();
            VheapProcesses.Started device = vheap.start("device", "run", "--app", "failover", "--device", "dev-f",
                    "--server", server, "--memory", "256k", "--store-retry", "3m", cp, "Tally", "100000", "20", "50");
            device.awaitOutput("committed 30 ", Duration.ofMinutes(2));

            long killed = System.nanoTime();
            pg.killNode(0);
            pg.awaitStates(Map.of(1, "wait_primary"));
            long promoted = System.nanoTime();

            // the device goes on; or, if the lost primary took flushes it had acknowledged, it stops and is resumed
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            VheapProcesses.Started running = device;
            String earlier = "";   // what the devices before the running one printed
            int resumes = 0;
            long wanted = TallyApp.lastCommitted(device.output()) + 20;
            while (TallyApp.lastCommitted(running.output()) < wanted) {
                assertThat(System.nanoTime()).as("the app went on within 3 minutes:\n%s\n%s",
                        VheapProcesses.tail(running.output()), VheapProcesses.tail(running.errors())).isLessThan(deadline);
                if (!running.process().isAlive()) {
                    assertThat(running.errors()).as("a device stops only for lost flushes").contains("DATA_LOSS");
                    earlier += running.output();
                    running = vheap.start("device", "resume", "--app", "failover", "--device", "dev-f" + (++resumes),
                            "--server", server, "--store-retry", "3m");
                    running.awaitOutput("committed ", Duration.ofMinutes(2));
                    assertThat(TallyApp.firstCommitted(running.output())).as("resumed at or after the last commit printed")
                            .isGreaterThanOrEqualTo(TallyApp.lastCommitted(earlier));
                }
                Thread.sleep(100);
            }
            String all = earlier + running.output();
            System.out.printf("failover: the secondary promoted %.1f s after the primary was killed; the app 20 commits on"
                    + " %.1f s after it, resumed %d times (lost flushes)%n", (promoted - killed) / 1e9,
                    (System.nanoTime() - killed) / 1e9, resumes);
            assertThat(all).doesNotContain("CORRUPT");
            if (running == device) {
                List<Long> counts = VheapProcesses.counts(all);
                for (int i = 1; i < counts.size(); i++) {
                    assertThat(counts.get(i)).as("count after %d", counts.get(i - 1)).isEqualTo(counts.get(i - 1) + 1);
                }
            }
            // every checkpoint a device printed is on the promoted node, the ones from before the kill among them
            List<Long> printed = TallyApp.checkpointIds(all);
            assertThat(printed).hasSizeGreaterThanOrEqualTo(50);
            assertThat(pg.checkpointsOnPrimary(1, "failover")).containsAll(printed);
            running.process().destroy();
        }
    }

}
