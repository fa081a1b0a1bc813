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
        FreeSpace free = new FreeSpace(LINE);
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
}
