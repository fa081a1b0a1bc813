package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users of a deployed heap server rely on, run against each {@link HeapDeployment}: an app checkpointed on
 * one device goes on on another; a heap server restarted mid-run and a database that goes away and comes back
 * cost the running devices a pause, never a count. Devices are {@code ./vheap device} processes running Tally
 * ({@link MigrationEndToEndTest#TALLY}: it checks its own heap at every step and checkpoints after each count).
 */
abstract class DeploymentScenarios {
    private static final Duration RUN = Duration.ofMinutes(3);

    @TempDir
    Path work;
    VheapProcesses vheap;
    HeapDeployment deployment;
    private String tally;

    abstract HeapDeployment deploy(VheapProcesses vheap, Path work) throws Exception;

    @BeforeEach
    void deploy() throws Exception {
        vheap = new VheapProcesses(work);
        deployment = deploy(vheap, work);
        tally = vheap.compile("Tally", MigrationEndToEndTest.TALLY) + ":" + VheapProcesses.apiClassPath();
    }

    @AfterEach
    void tearDown() throws Exception {
        vheap.close();   // devices first: none is left retrying a server that is going away
        if (deployment != null) {
            deployment.close();
        }
    }

    private VheapProcesses.Started runTally(String app, String device, int count, int pauseMillis) throws Exception {
        // --store-retry past the scenarios' outages: a line read that meets one waits, as a checkpoint does,
        // however long the database takes to stop and start here (the 30 s default would stop the app)
        return vheap.start("device", "run", "--app", app, "--device", device, "--server", deployment.address(),
                "--memory", "256k", "--store-retry", "3m", tally, "Tally", Integer.toString(count), Integer.toString(pauseMillis));
    }

    /** Every count 1..n exactly once, in order, and the app's own heap checks never failed. */
    private static void assertCountedOnce(String output, int n) {
        assertThat(output).doesNotContain("CORRUPT").contains("finished");
        assertThat(VheapProcesses.counts(output)).isEqualTo(LongStream.rangeClosed(1, n).boxed().toList());
    }

    @Test
    void anAppCheckpointedOnDeviceAResumesOnDeviceBAndItsOutputContinues() throws Exception {
        VheapProcesses.Started a = runTally("moving", "device-a", 30, 30);
        a.awaitOutput("committed 12 ", RUN);
        a.process().destroy();   // SIGTERM: device A suspends the app with a checkpoint
        assertThat(a.awaitExit(RUN)).as(a.errors()).isZero();
        assertThat(a.errors()).contains("suspended");
        int onA = VheapProcesses.counts(a.output()).size();
        assertThat(onA).isBetween(12, 29);

        VheapProcesses.Result b = vheap.vheap("device", "resume", "--app", "moving", "--device", "device-b",
                "--server", deployment.address(), "--memory", "256k");
        assertThat(b.exit()).as(b.output()).isZero();
        assertThat(VheapProcesses.counts(b.output())).first().isEqualTo((long) onA + 1);
        assertCountedOnce(a.output() + b.output(), 30);
    }

    @Test
    void aHeapServerRestartedMidRunCostsTheDeviceAPauseAndNoCount() throws Exception {
        VheapProcesses.Started device = runTally("restarted", "device-a", 40, 100);
        device.awaitOutput("committed 10 ", RUN);
        deployment.restartServer();
        int beforeTheEnd = VheapProcesses.counts(device.output()).size();
        assertThat(device.awaitExit(RUN)).as(device.errors()).isZero();
        assertThat(beforeTheEnd).as("the restart came mid-run").isLessThan(40);
        assertCountedOnce(device.output(), 40);
        // the device said why it waited (whether a checkpoint or a line read met the restart), and went on by itself
        assertThat(device.errors()).contains("the app is paused until the store is back").contains("the store is back after");

        VheapProcesses.Result cps = vheap.vheap("checkpoints", "--app", "restarted", "--server", deployment.address());
        assertThat(cps.exit()).as(cps.output()).isZero();
        assertThat(cps.output()).contains("device-a");
    }

    @Test
    void aStoppedDatabaseIsAClearUnavailableAndTheDeviceGoesOnWhenItReturns() throws Exception {
        VheapProcesses.Started device = runTally("dbdown", "device-a", 40, 100);
        device.awaitOutput("committed 10 ", RUN);
        deployment.stopDatabase();
        try {
            assertThat(device.output()).as("the database went away mid-run").doesNotContain("finished");
            VheapProcesses.Result apps = vheap.vheap("apps", "--server", deployment.address());
            assertThat(apps.exit()).isEqualTo(1);
            assertThat(apps.output().strip()).startsWith("vheap apps: UNAVAILABLE: the heap database is unavailable")
                    .doesNotContain("\tat ");
            device.awaitErrors("the heap database is unavailable", RUN);
            // health follows the database: vheap health (the compose health check) fails meanwhile
            VheapProcesses.Result health = awaitHealth(1, Duration.ofSeconds(30));
            assertThat(health.output()).contains("NOT_SERVING");
            // paused, not racing ahead: no count goes by while its checkpoint cannot commit
            int paused = VheapProcesses.counts(device.output()).size();
            Thread.sleep(1500);
            assertThat(VheapProcesses.counts(device.output())).hasSize(paused);
        } finally {
            deployment.startDatabase();
        }
        assertThat(device.awaitExit(RUN)).as(device.errors()).isZero();
        assertCountedOnce(device.output(), 40);
        assertThat(device.errors()).contains("the store is back after");
        assertThat(awaitHealth(0, Duration.ofSeconds(30)).output()).doesNotContain("NOT_SERVING");
        VheapProcesses.Result apps = vheap.vheap("apps", "--server", deployment.address());
        assertThat(apps.exit()).as(apps.output()).isZero();
        assertThat(apps.output()).contains("dbdown");
    }

    /** {@code vheap health} until it exits with {@code exit} (each run is a new JVM, so it is not polled fast). */
    private VheapProcesses.Result awaitHealth(int exit, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        VheapProcesses.Result r = vheap.vheap("health", "--server", deployment.address());
        while (r.exit() != exit && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = vheap.vheap("health", "--server", deployment.address());
        }
        assertThat(r.exit()).as(r.output()).isEqualTo(exit);
        return r;
    }
}
