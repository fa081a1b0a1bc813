package org.vheap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The story every deployment must tell: the counter sample runs on device a, is migrated mid-run to device b (both
 * attached to {@code server}, a heap server or a gateway) and goes on there with no gap or repeat; then both devices
 * quit cleanly. Shared by the end-to-end tests that run it on different stores.
 */
final class CounterMigration {
    private CounterMigration() {
    }

    /** Runs the story for app {@code app}; fails the test on any gap, repeat or unclean exit. */
    static void run(VheapProcesses vheap, String server, String app) throws Exception {
        run(vheap, server, app, new String[0]);
    }

    /** The story with device a started with {@code aExtra} too (another store in front of the server, say). */
    static void run(VheapProcesses vheap, String server, String app, String[] aExtra) throws Exception {
        Path classes = vheap.compileSample("Counter");
        VheapProcesses.Started a = device(vheap, server, "a", aExtra);
        VheapProcesses.Started b = device(vheap, server, "b");
        a.awaitErrors("attached", Duration.ofSeconds(60));
        b.awaitErrors("attached", Duration.ofSeconds(60));
        assertThat(vheap.vheap("devices", "--server", server).output()).contains("a").contains("b");

        a.send("run " + app + " " + classes + " Counter 150 60");
        a.awaitOutput("\n20\n", Duration.ofSeconds(60));
        VheapProcesses.Result moved = vheap.vheap("migrate", "--app", app, "--to", "b", "--server", server);
        assertThat(moved.exit()).as(moved.output()).isZero();
        assertThat(moved.output()).contains("a").contains("b");
        b.awaitOutput("\n150\n", Duration.ofSeconds(60));

        List<String> all = new ArrayList<>(a.output().lines().toList());
        all.addAll(b.output().lines().toList());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(all).as("a printed %d lines, b the rest", a.output().lines().count()).isEqualTo(expected);
        assertThat(b.output()).doesNotStartWith("1\n");
        assertThat(vheap.vheap("checkpoints", "--app", app, "--server", server).output()).contains("b");
        a.send("quit");
        b.send("quit");
        assertThat(a.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(b.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    /** {@code ./vheap device start} attached to {@code server}, with a small memory and a short lease. */
    static VheapProcesses.Started device(VheapProcesses vheap, String server, String name, String... extra)
            throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("device", "start", "--server", server, "--device", name,
                "--memory", "256k", "--lease", "3s"));
        args.addAll(List.of(extra));
        return vheap.start(args.toArray(new String[0]));
    }
}
