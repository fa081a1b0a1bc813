package org.vheap.device.vm.heap.paging;

/**
 * The read-ahead of a {@link PagedHeap}: on a miss that reads the store, how many of the lines after it to read in
 * the same store call. It only chooses; the heap reads, and only lines the store may hold that are not resident.
 *
 * <p>A program that walks a structure it built in allocation order (a tree checked after it was built, a list, an
 * array larger than memory) misses on ascending lines, a little out of order (objects of one line name objects a few
 * lines on either side). Over a heap server each of those misses is a round trip; read-ahead turns a run of them into
 * a few. A miss <em>continues a run</em> when its line lies within {@link #NEAR} lines of the range the previous
 * read covered; the window then doubles, from {@link #MIN_WINDOW} up to the most given at construction. Any other
 * miss ends the run (window 0: the line alone), so random access reads nothing it did not ask for. This is the
 * operating systems' sequential read-ahead (Linux's, with its doubling window), scaled to the few frames of a device;
 * the seed's cache lines "sized to the write block" make the same bet on locality at a fixed size.
 *
 * <p>The lines read ahead enter their frames not referenced, so the eviction hand takes them at its next pass if the
 * program did not use them, ahead of the lines it did use.
 *
 * <p>Not thread-safe: it belongs to one {@link PagedHeap}.
 */
final class ReadAhead {
    /** How far (in lines) a miss may lie from the previous read's range and still continue its run. */
    static final int NEAR = 8;
    /** The first window of a run. */
    static final int MIN_WINDOW = 2;
    /**
     * With a window, this many lines before the miss are read too: a walk's next misses land a few lines back as
     * often as ahead (objects name objects on both sides), and a run broken by such a miss would start over.
     */
    static final int BEHIND = 4;

    private final int maxWindow;
    private long runFrom = Long.MIN_VALUE;
    private long runTo = Long.MIN_VALUE;
    private int window;

    /** @param maxWindow the most lines read ahead of one miss (0: never read ahead) */
    ReadAhead(int maxWindow) {
        if (maxWindow < 0) {
            throw new IllegalArgumentException("read-ahead window " + maxWindow + " < 0");
        }
        this.maxWindow = maxWindow;
    }

    /**
     * A miss on {@code line} is about to read the store: the number of lines after it to read too (0: none).
     * The caller reads what it can of {@code [line + 1, line + result]} (and, with a window, of the {@link #BEHIND}
     * lines before the miss), within a quarter of the frames: {@code [line, line + result]} is what the next miss is
     * compared with.
     */
    int onMiss(long line) {
        boolean continues = runFrom != Long.MIN_VALUE && line >= runFrom - NEAR && line <= runTo + NEAR;
        window = !continues || maxWindow == 0 ? 0 : Math.min(maxWindow, Math.max(MIN_WINDOW, window * 2));
        runFrom = line;
        runTo = line + window;
        return window;
    }
}
