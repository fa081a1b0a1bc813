package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.server.torture.TallyApp;

/**
 * The seed's flash store, alone and in front of a server. With no server at all: a device runs Tally ({@code --store flash:DIR}: its heap a log in a
 * directory of its own), is killed with SIGKILL mid-run, and {@code ./vheap device resume --store flash:DIR} goes on
 * from a checkpoint at or after the last one it was told of, to the end, with Tally's own checks.
 */
class FlashStoreEndToEndTest {
    @Test
    void aDeviceKilledMidRunResumesFromItsFlashStore(@TempDir Path work) throws Exception {
        try (VheapProcesses vheap = new VheapProcesses(work)) {
            String cp = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();
            String store = "flash:" + work.resolve("flash");
            VheapProcesses.Started first = vheap.start("device", "run", "--app", "tally", "--store", store,
                    "--memory", "256k", "--flash-block", "16k", cp, "Tally", "150", "5", "50");
            first.awaitOutput("committed 30 ", Duration.ofMinutes(2));
            first.process().destroyForcibly();   // the launcher exec'd the JVM: this is the device's SIGKILL
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            long told = TallyApp.lastCommitted(first.output());

            VheapProcesses.Started second = vheap.start("device", "resume", "--app", "tally", "--store", store);
            assertThat(second.awaitExit(Duration.ofMinutes(3))).as(second.errors()).isZero();
            String output = second.output();
            assertThat(output).doesNotContain("CORRUPT").contains("finished");
            long start = TallyApp.firstCommitted(output);
            assertThat(start).as("resumed at or after the last commit it was told of").isGreaterThanOrEqualTo(told);
            List<Long> counts = VheapProcesses.counts(output);
            assertThat(counts.get(0)).isEqualTo(start + 1);
            assertThat(counts).hasSize((int) (150 - start)).endsWith(150L);

            VheapProcesses.Result again = vheap.vheap("device", "resume", "--app", "tally", "--store", "flash:");
            assertThat(again.exit()).isNotZero();
            assertThat(again.output()).contains("--store takes 'memory' or 'flash:DIR'");
        }
    }

    /**
     * The flash in front of a server ({@code --store flash:DIR --server}): the device is killed with SIGKILL mid-run,
     * resumed on the same directory and killed again, and another device on the server alone goes on from a checkpoint
     * at or after the last one the device was told of: each checkpoint reached the server before the app heard of it.
     */
    @Test
    void aFlashFrontedDeviceKilledMidRunGoesOnOnAnotherDeviceThroughTheServer(@TempDir Path work) throws Exception {
        try (VheapProcesses vheap = new VheapProcesses(work)) {
            String address = vheap.startServer();
            String cp = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();
            VheapProcesses.Started first = vheap.start("device", "run", "--app", "tally", "--device", "fronted",
                    "--store", "flash:" + work.resolve("flash"), "--server", address, "--memory", "256k",
                    "--flash-block", "16k", "--lease", "2s", cp, "Tally", "150", "5", "50");
            first.awaitOutput("committed 30 ", Duration.ofMinutes(2));
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            long told = TallyApp.lastCommitted(first.output());

            // the same device again, on its flash copy (or the server's heap if the kill came before the copy's record)
            VheapProcesses.Started again = vheap.start("device", "resume", "--app", "tally", "--device", "fronted",
                    "--store", "flash:" + work.resolve("flash"), "--server", address, "--lease", "2s", "--wait-lease",
                    "1m");
            again.awaitOutput("committed " + (told + 20) + " ", Duration.ofMinutes(2));
            again.process().destroyForcibly();
            assertThat(again.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(again.output()).doesNotContain("CORRUPT");
            assertThat(TallyApp.firstCommitted(again.output())).isGreaterThanOrEqualTo(told);
            told = TallyApp.lastCommitted(again.output());

            VheapProcesses.Started heir = vheap.start("device", "resume", "--app", "tally", "--device", "heir",
                    "--server", address, "--wait-lease", "1m");
            assertThat(heir.awaitExit(Duration.ofMinutes(3))).as(heir.errors()).isZero();
            String output = heir.output();
            assertThat(output).doesNotContain("CORRUPT").contains("finished");
            long start = TallyApp.firstCommitted(output);
            assertThat(start).as("resumed at or after the last commit it was told of").isGreaterThanOrEqualTo(told);
            assertThat(VheapProcesses.counts(output)).hasSize((int) (150 - start)).endsWith(150L);

            VheapProcesses.Result memory = vheap.vheap("device", "run", "--app", "x", "--store", "memory", "--server",
                    address, cp, "Tally", "1", "1", "1");
            assertThat(memory.exit()).isEqualTo(2);
            assertThat(memory.output()).contains("--store memory does not go with --server");
        }
    }

    /**
     * {@code ./vheap migrate} from a device with its flash in front of the server ({@code ./vheap device start --store
     * flash:DIR --server}) to a device on the server alone: the counter goes on there with no gap or repeat, for the
     * suspend's checkpoint reached the server before the migration went on.
     */
    @Test
    void theCounterMigratesFromAFlashFrontedDeviceToADeviceOnTheServerAlone(@TempDir Path work) throws Exception {
        try (VheapProcesses vheap = new VheapProcesses(work)) {
            CounterMigration.run(vheap, vheap.startServer(), "counter-fronted",
                    new String[] {"--store", "flash:" + work.resolve("flash"), "--flash-block", "16k"});
        }
    }
}
