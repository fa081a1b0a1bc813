package org.vheap.server.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash matrix's rules for one run of the app's output: what went on exactly, what is lost, what is torn. */
class TallyRunTest {
    @Test
    void theFirstRunCountsItsOwnCommits() {
        TallyRun r = TallyRun.of(List.of("count 1", "committed 1 11", "count 2", "committed 2 12", "count 3"), 0, 0);
        assertThat(r.problem()).isNull();
        assertThat(r.firstCommitted()).isEqualTo(1);
        assertThat(r.lastCommitted()).isEqualTo(2);
        assertThat(r.lastCount()).isEqualTo(3);
        assertThat(r.commits()).isEqualTo(2);
    }

    @Test
    void aResumedRunStartsFromTheLastReportedCommitOrOneCommittedWithoutBeingReported() {
        for (long from : new long[] {5, 6}) {   // 5 was printed; 6 was counted, and may have committed unprinted
            TallyRun r = TallyRun.of(List.of("committed " + from + " 99", "count " + (from + 1),
                    "committed " + (from + 1) + " 100"), 5, 6);
            assertThat(r.problem()).as("from %d", from).isNull();
            assertThat(r.firstCommitted()).isEqualTo(from);
            assertThat(r.commits()).as("the resumed checkpoint's own line is not a new commit").isEqualTo(1);
        }
    }

    @Test
    void aStartBeforeTheLastReportedCommitIsALostCheckpoint() {
        TallyRun r = TallyRun.of(List.of("noise", "committed 4 98", "count 5"), 5, 6);
        assertThat(r.lost()).isTrue();
        assertThat(r.problem()).startsWith("lost: resumed from the checkpoint of count 4");
        assertThat(r.problemLine()).isEqualTo(1);
    }

    @Test
    void skippedOrRepeatedCountsAStartNoRunReachedAndTheAppsOwnCheckAreTorn() {
        assertThat(TallyRun.of(List.of("committed 5 1", "count 7"), 5, 6).problem()).startsWith("torn: count 7 after 5");
        assertThat(TallyRun.of(List.of("committed 5 1", "count 6", "count 6"), 5, 6).problem()).startsWith("torn: count 6 after 6");
        assertThat(TallyRun.of(List.of("committed 7 1"), 5, 6).problem()).startsWith("torn: resumed from count 7");
        assertThat(TallyRun.of(List.of("committed 5 1", "count 6", "committed 5 2"), 5, 6).problem())
                .startsWith("torn: committed 5 after count 6");
        assertThat(TallyRun.of(List.of("count 6"), 5, 6).problem()).startsWith("torn: a resumed run counted");
        TallyRun corrupt = TallyRun.of(List.of("committed 5 1", "CORRUPT at 6"), 5, 6);
        assertThat(corrupt.problem()).startsWith("torn: the app found its heap inconsistent");
        assertThat(corrupt.lost()).isFalse();
        assertThat(corrupt.problemLine()).isEqualTo(1);
    }

    @Test
    void aRunThatPrintedNothingKeepsTheBoundsOfTheOnesBefore() {
        TallyRun r = TallyRun.of(List.of(), 5, 6);
        assertThat(r.problem()).isNull();
        assertThat(r.firstCommitted()).isEqualTo(-1);
        assertThat(r.lastCommitted()).isEqualTo(5);
        assertThat(r.lastCount()).isEqualTo(6);
    }
}
