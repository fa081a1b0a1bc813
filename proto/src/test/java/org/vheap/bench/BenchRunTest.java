package org.vheap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A bench run's clean-up: all of it, once, the last set up first, also when the bench or a step of it fails. */
class BenchRunTest {
    private final StringWriter err = new StringWriter();
    private final AtomicLong now = new AtomicLong();
    private final List<String> done = new ArrayList<>();

    private BenchRun run() {
        return new BenchRun("bench test", new PrintWriter(err, true), now::get);
    }

    @Test
    void cleanUpRunsLastFirstAndOnlyOnce() {
        BenchRun run = run();
        run.atEnd("stop the server", interrupted -> done.add("server" + (interrupted ? "!" : "")));
        run.atEnd("close the channel", interrupted -> done.add("channel"));
        run.atEnd("delete app a", interrupted -> done.add("app"));
        run.close();
        run.close();
        assertThat(done).containsExactly("app", "channel", "server");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void cleanUpRunsWhenTheBenchFailsAndGoesOnPastAFailingStep() throws Exception {
        Path[] dir = new Path[1];
        assertThatThrownBy(() -> {
            try (BenchRun run = run()) {
                dir[0] = run.tempDir("vheap-bench-run-test-");
                Files.writeString(dir[0].resolve("data"), "x");
                run.atEnd("stop the server", interrupted -> done.add("server"));
                run.atEnd("delete app a", interrupted -> {
                    throw new IllegalStateException("UNAVAILABLE: the server is gone");
                });
                run.atEnd("close the channel", interrupted -> done.add("channel"));
                throw new IllegalStateException("read of line 3 returned 0 lines");
            }
        }).hasMessage("read of line 3 returned 0 lines");
        assertThat(done).containsExactly("channel", "server");
        assertThat(dir[0]).doesNotExist();
        assertThat(err.toString()).isEqualTo("bench test: could not delete app a: UNAVAILABLE: the server is gone"
                + System.lineSeparator());
    }

    @Test
    void anActionRegisteredAfterTheCleanUpRunsAtOnce() {
        BenchRun run = run();
        run.close();
        run.atEnd("stop the gateway", interrupted -> done.add("gateway" + (interrupted ? " (interrupted)" : "")));
        assertThat(done).containsExactly("gateway (interrupted)");
    }

    @Test
    void progressLinesCarryTheTimeSinceTheStart() {
        now.set(5_000_000_000L);
        BenchRun run = run();
        now.addAndGet(12_340_000_000L);
        run.progress("warming up");
        run.note("could not renew a lease");
        assertThat(err.toString().lines()).containsExactly("bench test [12.3 s]: warming up ...",
                "bench test: could not renew a lease");
    }
}
