package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vheap bench fleet} as a user runs it, with its own heap server (a child process on an embedded PostgreSQL
 * the bench starts) and a real device besides: a short run of a small fleet ends with no errors, the server's resident
 * memory read from its process over the run, the real device's app whole and committing, and the raw JDBC writes on
 * the same database beside the fleet's.
 */
class FleetBenchEndToEndTest {
    @Test
    void theFleetBenchRunsItsOwnServerAndReportsItsMemory(@TempDir Path work) throws Exception {
        try (VheapProcesses vheap = new VheapProcesses(work)) {
            VheapProcesses.Result r = vheap.vheap("bench", "fleet", "--devices", "30", "--minutes", "0.3", "--think", "100ms",
                    "--vms", "1");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("its own heap server, pid").contains("; errors 0")
                    .containsPattern("server resident memory: peak [\\d.]+ MiB \\(within 1 GiB\\); second half")
                    .contains("raw batched JDBC on the same database")
                    .containsPattern("real devices: 1, [\\d,]+ checkpoints committed, every heap whole, every device running");
            assertThat(r.output().lines().filter(l -> l.matches("\\s+\\d+ s .* MiB")).count()).as("rows with the RSS")
                    .isGreaterThanOrEqualTo(2);
        }
    }
}
