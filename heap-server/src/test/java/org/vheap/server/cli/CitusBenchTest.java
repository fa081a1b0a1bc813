package org.vheap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vheap.server.testing.CitusCluster;
import org.vheap.server.testing.TestDatabase;
import org.vheap.server.testing.CliRun;

/**
 * {@code vheap bench citus}, bounded (a few samples, no warm-up): both sides measured and printed with their ratio,
 * the target judged, its apps deleted; a database without Citus refused in one line. The figures come from the
 * full command, in docs/benchmarks.md.
 */
class CitusBenchTest {
    @RegisterExtension
    static final CitusCluster CITUS = new CitusCluster();

    @RegisterExtension
    static final TestDatabase PLAIN = new TestDatabase();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static final String MICROS = "\\d+ µs / \\d+ µs";
    private static final String RATIO = "\\d+\\.\\d\\dx / \\d+\\.\\d\\dx";

    @Test
    void theBenchPrintsTheThreeSidesSideBySideJudgesTheTargetAndDeletesItsApps() throws Exception {
        CliRun r = run("bench", "citus", "--citus-url", CITUS.url(), "--apps", "2", "--lines", "40", "--samples", "20",
                "--threads", "2", "--seconds", "1", "--warm-up", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("vs Citus ").contains(", 2 workers")
                .containsPattern("operation +PostgreSQL +Citus +ratio +Citus routed +ratio");
        Pattern row = Pattern.compile(" " + MICROS + " +" + MICROS + " +" + RATIO + " +" + MICROS + " +" + RATIO + "$");
        for (String name : List.of("fault p50 / p99", "flush p50 / p99", "checkpoint 128 KiB p50 / p99")) {
            assertThat(r.out().lines().filter(l -> l.startsWith(name) && row.matcher(l).find())).as(name + "\n" + r.out())
                    .hasSize(1);
        }
        assertThat(r.out()).containsPattern("faults per second +\\d+ +\\d+ +\\d+\\.\\d\\dx +\\d+ +\\d+\\.\\d\\dx")
                .containsPattern("target: a fault on Citus within 1.5x of one PostgreSQL's at p50 \\[(met|NOT met): \\d+\\.\\d\\dx\\]")
                .containsPattern("target: a fault on Citus routed within 1.5x of one PostgreSQL's at p50 \\[(met|NOT met): \\d+\\.\\d\\dx\\]");
        assertNoBenchAppsLeft();
    }

    @Test
    void withoutRoutingTheBenchComparesTwoSides() throws Exception {
        CliRun r = run("bench", "citus", "--citus-url", CITUS.url(), "--apps", "1", "--lines", "40", "--samples", "10",
                "--threads", "1", "--seconds", "1", "--warm-up", "0", "--without-routing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("operation +PostgreSQL +Citus +ratio\\n")
                .containsPattern("fault p50 / p99 +" + MICROS + " +" + MICROS + " +" + RATIO + "\\n")
                .doesNotContain("Citus routed");
        assertNoBenchAppsLeft();
    }

    private static void assertNoBenchAppsLeft() throws Exception {
        try (Connection c = CITUS.coordinator(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM heap_name WHERE app_name LIKE 'bench-citus-%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("bench apps left on Citus").isZero();
        }
    }

    @Test
    void aDatabaseWithoutCitusIsRefusedInOneLine() throws Exception {
        String url;
        try (Connection c = PLAIN.dataSource().getConnection()) {
            url = c.getMetaData().getURL();
        }
        CliRun r = run("bench", "citus", "--citus-url", url, "--warm-up", "0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("vheap bench citus: ").contains("has no citus extension");
    }
}
