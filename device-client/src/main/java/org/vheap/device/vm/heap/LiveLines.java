package org.vheap.device.vm.heap;

import java.util.Arrays;

/**
 * The live bytes on each line of the user heap, as the last full collection's sweep found them: where compaction
 * ({@link Evacuation}) looks for sparse lines. Host-side and approximate by nature (objects allocated into a line's
 * holes since are not counted, nor deaths since); empty until the first full collection of this run, which goes by
 * {@link #inUse} instead.
 */
final class LiveLines {
    private final long lineSize;
    private int[] live = new int[0];

    LiveLines(long lineSize) {
        this.lineSize = lineSize;
    }

    /** A full sweep starts: every line is empty until {@link #add} says otherwise. */
    void clear() {
        Arrays.fill(live, 0);
    }

    /** A live object of {@code bytes} lies at {@code at}: its bytes count on each line it covers. */
    void add(long at, long bytes) {
        add(at, bytes, 1);
    }

    private void add(long at, long bytes, int sign) {
        long end = at + bytes;
        while (at < end) {
            int line = (int) (at / lineSize);
            long lineEnd = (line + 1) * lineSize;
            if (line >= live.length) {
                live = Arrays.copyOf(live, Math.max(line + 1, live.length * 2));
            }
            live[line] += sign * (int) (Math.min(end, lineEnd) - at);
            at = lineEnd;
        }
    }

    /**
     * The bytes in use on each line below {@code top}: all but the free ranges ({@code (address, bytes)} pairs, as
     * {@link FreeSpace#ranges} gives them). An upper bound of the live bytes, since garbage counts as in use: what
     * the first full collection of a resumed run goes by (the checkpoint saved the free space the last collection
     * before it found). With no free ranges, every line below {@code top} is full.
     */
    static LiveLines inUse(long lineSize, long top, long[] freeRanges) {
        LiveLines used = new LiveLines(lineSize);
        used.add(0, top);
        for (int i = 0; i < freeRanges.length; i += 2) {
            used.add(freeRanges[i], freeRanges[i + 1], -1);
        }
        return used;
    }

    /** The live bytes the last full sweep found on {@code line} (0 beyond what it saw). */
    int bytes(long line) {
        return line < live.length ? live[(int) line] : 0;
    }

    /** Lines the last full sweep saw (those beyond hold nothing it found). */
    long lines() {
        return live.length;
    }
}
