package org.vheap.device.vm.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreeSpaceTest {
    private static final long LINE = 4096;

    /**
     * Runs of whole lines taken from the middle of the run table (a tree node with two children): each block
     * handed out lies in the free ranges and no two overlap. The run table once read a removed entry, which
     * TreeMap had refilled with the next run, and put back a run over live objects.
     */
    @Test
    void blocksTakenFromLineRunsStayInsideTheFreeRangesAndNeverOverlap() {
        FreeSpace free = new FreeSpace(LINE, new WorkingSets(0, LINE, true));
        List<long[]> ranges = new ArrayList<>();
        long at = LINE;
        int[] runLengths = {1, 3, 1, 10, 1, 2, 7, 1, 4, 1, 5};
        for (int lines : runLengths) {
            ranges.add(new long[] {at, at + lines * LINE});
            free.addRange(at, at + lines * LINE);
            at += (lines + 1) * LINE;   // a live line between runs, so they stay apart
        }
        List<long[]> taken = new ArrayList<>();
        for (long bytes : new long[] {2 * LINE, 2 * LINE, 32, 3 * LINE, 2 * LINE, LINE, 2 * LINE, 24, 4 * LINE,
                2 * LINE, LINE, 2 * LINE, 2 * LINE, LINE, LINE}) {
            long got = free.take(bytes);
            if (got < 0) {
                continue;
            }
            long end = got + bytes;
            assertThat(ranges).as("block 0x%x+%d", got, bytes).anyMatch(r -> r[0] <= got && end <= r[1]);
            assertThat(taken).as("block 0x%x+%d", got, bytes).noneMatch(t -> got < t[1] && t[0] < end);
            taken.add(new long[] {got, end});
        }
        assertThat(taken).hasSizeGreaterThan(8);
    }

    /**
     * With working sets, nothing taken straddles two unless it is larger than one (an OutOfMemoryError's retry needs
     * free space spanning them); a working set's free space can be dropped, runs cut at its ends.
     */
    @Test
    void rangesAreSplitAtWorkingSetsAndDroppedByWorkingSet() {
        long ws = 4 * LINE;
        FreeSpace free = new FreeSpace(LINE, new WorkingSets(ws, LINE, true));
        free.addRange(2 * LINE, 10 * LINE);   // working sets 0, 1 and 2
        assertThat(free.take(4 * LINE)).as("a block as large as a working set: only working set 1 holds it")
                .isEqualTo(4 * LINE);
        assertThat(free.take(3 * LINE)).as("no run of three lines is left inside one working set").isEqualTo(-1);
        assertThat(free.removeWithin(8 * LINE, 12 * LINE)).as("working set 2's free bytes").isEqualTo(2 * LINE);
        assertThat(free.ranges()).containsExactly(2 * LINE, 2 * LINE);
        assertThat(free.freeBytes()).isEqualTo(2 * LINE);
        free.addRange(12 * LINE, 30 * LINE);
        assertThat(free.removeWithin(16 * LINE, 20 * LINE)).as("the middle of a run").isEqualTo(4 * LINE);
        assertThat(free.ranges()).containsExactly(2 * LINE, 2 * LINE, 12 * LINE, 4 * LINE, 20 * LINE, 10 * LINE);
        assertThat(free.take(9 * LINE)).as("larger than a working set: it may straddle them").isEqualTo(20 * LINE);
    }

    /**
     * What promotions into young lines take: a line out of the middle of a run (the run split around it), the highest
     * free line, and nothing twice; a young collection drops the chunks of young lines only.
     */
    @Test
    void linesAreTakenOneByOneForYoungLinesAndChunksOfYoungLinesAreDropped() {
        FreeSpace free = new FreeSpace(LINE, new WorkingSets(0, LINE, true));
        free.addRange(2 * LINE, 6 * LINE);              // lines 2 to 5
        free.addRange(8 * LINE + 64, 8 * LINE + 128);   // a chunk in line 8
        free.addRange(9 * LINE + 64, 9 * LINE + 96);    // a chunk in line 9
        assertThat(free.takeLine(3 * LINE)).isTrue();
        assertThat(free.takeLine(3 * LINE)).as("taken already").isFalse();
        assertThat(free.takeLine(7 * LINE)).as("never free").isFalse();
        assertThat(free.takeHighestLine()).isEqualTo(5 * LINE);
        assertThat(free.ranges()).containsExactly(9 * LINE + 64, 32L, 8 * LINE + 64, 64L, 2 * LINE, LINE, 4 * LINE, LINE);
        YoungLines young = new YoungLines(LINE);
        young.enable(LINE);
        young.allocated(8 * LINE, 64, true, true);   // line 8 is young now
        assertThat(free.removeChunksIn(young)).isEqualTo(64);
        assertThat(free.ranges()).containsExactly(9 * LINE + 64, 32L, 2 * LINE, LINE, 4 * LINE, LINE);
        assertThat(free.freeBytes()).isEqualTo(32 + 2 * LINE);
        assertThat(free.takeHighestLine()).isEqualTo(4 * LINE);
        assertThat(free.takeHighestLine()).isEqualTo(2 * LINE);
        assertThat(free.takeHighestLine()).isEqualTo(-1);
    }
}
