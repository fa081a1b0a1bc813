package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.TestHeapServer;
import org.vheap.server.testing.CliRun;

/**
 * {@code vheap bench fleet} against a running server (its own child server and the real devices are the launcher's,
 * run end to end by integration-tests): a short run of a small fleet prints its rows, no errors, and the raw JDBC writes beside; and the
 * apps it made are gone.
 */
class FleetBenchTest {
    @RegisterExtension
    static final TestHeapServer SERVER = TestHeapServer.onLoopback();

    @Test
    void aSmallFleetRunsWithoutErrorsAndPrintsItsRowsAndTheRawJdbcWrites() throws Exception {
        String url;
        try (Connection c = SERVER.dataSource().getConnection()) {
            url = c.getMetaData().getURL();
        }
        int appsBefore = SERVER.store().listApps().size();
        CliRun r = CliRun.of("bench", "fleet", "--server", SERVER.target(), "--devices", "20", "--minutes", "0.15",
                "--think", "50ms", "--threads", "8", "--db-url", url, "--db-user", "postgres", "--vms", "0");
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("bench fleet: 20 devices for 9 s against " + SERVER.target())
                .contains("calls/s").contains("fault p99").contains("; errors 0")
                .containsPattern("raw batched JDBC on the same database, unpaced, 8 connections, 4 lines a statement: [\\d,]+/s");
        long rows = r.out().lines().filter(l -> l.matches("\\s+\\d+ s .*")).count();
        assertThat(rows).as("a row per 5 s").isEqualTo(2);
        assertThat(r.out()).containsPattern("calls [\\d,]+ in \\d+ s");
        assertThat(SERVER.store().listApps()).as("the fleet's apps deleted").hasSize(appsBefore);
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        CliRun both = CliRun.of("bench", "fleet", "--server", "127.0.0.1:1", "--gateway", "127.0.0.1:2");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give --server or --gateway, not both");
        CliRun none = CliRun.of("bench", "fleet", "--minutes", "0");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--minutes must be more than 0");
    }
}
