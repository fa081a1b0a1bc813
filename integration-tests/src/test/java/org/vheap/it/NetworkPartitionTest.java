package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vheap.server.torture.TallyApp;

/**
 * A real partition, made by the kernel: a heap server in a network namespace of the test's own, a device on the host
 * reaching it over a veth pair, and the pair's namespace end taken down while the device flushes and commits (Tally commits
 * after every count). Past the device's one-second lease an heir inside the namespace resumes the app and runs it to
 * its end; healed, the first device's next call is fenced and it stops, and what the heir printed goes on from a
 * checkpoint at or after the last one the first device was told of. Every part is a {@code ./vheap} process.
 */
class NetworkPartitionTest {
    @Test
    void aDevicePartitionedFromItsServerPastItsLeaseIsFencedWhenHealedAndItsHeirGoesOn(@TempDir Path work) throws Exception {
        NetNamespace.requireAvailable();
        try (NetNamespace ns = NetNamespace.create("np"); VheapProcesses vheap = new VheapProcesses(work)) {
            int port = VheapProcesses.freePort();
            // the host's device comes from the namespace's own network: no tokens on it
            VheapProcesses.Started server = vheap.startIn(ns, "server", "--host", "0.0.0.0", "--port", Integer.toString(port),
                    "--data", work.resolve("data").toString(), "--allow-remote-without-tokens");
            server.awaitLogged("listening on 0.0.0.0:" + port, Duration.ofMinutes(5));   // the server started in the namespace
            String cp = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();

            VheapProcesses.Started first = vheap.start("device", "run", "--app", "cut", "--device", "host-device",
                    "--server", ns.address() + ":" + port, "--memory", "256k", "--lease", "1s", "--store-retry", "2m",
                    cp, "Tally", "150", "5", "50");
            first.awaitOutput("committed 30 ", Duration.ofMinutes(2));
            ns.partition();
            Thread.sleep(3_000);   // past its lease
            long told = TallyApp.lastCommitted(first.output());   // what it was told, answers in flight included
            assertThat(first.process().isAlive()).as("partitioned, it waits for the store").isTrue();

            VheapProcesses.Started heir = vheap.startIn(ns, "device", "resume", "--app", "cut", "--device", "heir-device",
                    "--server", "127.0.0.1:" + port, "--lease", "1s");
            heir.awaitOutput("committed " + (told + 2) + " ", Duration.ofMinutes(2));
            String firstBeforeHeal = first.output();
            ns.heal();
            assertThat(first.awaitExit(Duration.ofMinutes(2))).as("fenced").isNotZero();
            assertThat(first.errors()).contains("taken over by another device or its lease ended");
            assertThat(first.output()).as("told of no commit after the partition").isEqualTo(firstBeforeHeal);
            assertThat(TallyApp.lastCommitted(firstBeforeHeal)).isEqualTo(told);
            assertThat(heir.awaitExit(Duration.ofMinutes(2))).as(heir.errors()).isZero();

            String heirOutput = heir.output();
            assertThat(heirOutput).doesNotContain("CORRUPT").contains("finished");
            long start = TallyApp.firstCommitted(heirOutput);
            assertThat(start).as("resumed at or after the last commit the first device was told of").isGreaterThanOrEqualTo(told);
            List<Long> counts = VheapProcesses.counts(heirOutput);
            assertThat(counts.get(0)).isEqualTo(start + 1);
            assertThat(counts).hasSize((int) (150 - start)).endsWith(150L);
        }
    }

}
