package org.vheap.device.vm.heap.paging;

/**
 * The read-ahead of a {@link PagedHeap}, and the walks its eviction follows: on a miss that reads the store, how many
 * of the lines after it to read in the same store call, and which lines a walk has passed or is about to reach. It
 * only chooses; the heap reads, and only lines the store may hold that are not resident.
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
 * program did not use them, ahead of the lines it did use; unless the run is a walk (below), which is about to use
 * them: lines ahead of a walk go last.
 *
 * <p>A run of {@link #PASSING_RUN} misses or more is a <em>walk</em>, and says which lines the program is done with:
 * the resident lines it has <em>passed</em>, from its first miss up to {@link #NEAR} lines below its highest
 * ({@link #nextPassed}), and which it is about to reach, those {@link #isAhead ahead} of it. Eviction takes the
 * passed lines first and those ahead last. A walk over a structure larger than memory (a tree checked after it was built, the
 * same array scanned again) is the loop that defeats CLOCK and LRU: they evict the least recently used lines, the
 * very ones the walk reaches next, so every line of it misses, every time. Evicting what the walk has just passed
 * instead keeps the lines ahead of it resident (the most-recently-used policy, optimal for a loop), so only the part
 * of the structure that does not fit misses. A collection's reads (its own batches) neither start nor continue a run;
 * a walk the program has left (more than a memory's worth of lines evicted since its last miss, {@link #evicted}) ends.
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
    /** The misses a run needs before the lines it passed are given to eviction first: a walk, not two near misses. */
    static final int PASSING_RUN = 3;

    private final int maxWindow;
    /** How far above a walk's highest miss its lines are {@link #isAhead}: the memory's frames. */
    private final int frames;
    private long runFrom = Long.MIN_VALUE;
    private long runTo = Long.MIN_VALUE;
    private int window;
    /** The highest line a miss of the current run fell on, and its misses. */
    private long runHigh;
    private int runMisses;
    /** Lines evicted since the run's last miss. */
    private long evictedSinceMiss;
    /** Lines of the current run below this have been given by {@link #nextPassed}. */
    private long passedCursor;

    /** @param maxWindow the most lines read ahead of one miss (0: never read ahead) */
    ReadAhead(int maxWindow) {
        this(maxWindow, 0);
    }

    /**
     * @param maxWindow the most lines read ahead of one miss (0: never read ahead)
     * @param frames    the memory's frames: a walk's lines up to so many above its highest miss are {@link #isAhead
     *                  ahead} (no more could stay resident)
     */
    ReadAhead(int maxWindow, int frames) {
        if (maxWindow < 0 || frames < 0) {
            throw new IllegalArgumentException("read-ahead window " + maxWindow + " or frames " + frames + " < 0");
        }
        this.maxWindow = maxWindow;
        this.frames = frames;
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
        evictedSinceMiss = 0;
        if (continues) {
            runHigh = Math.max(runHigh, line);
            runMisses++;
        } else {
            runHigh = line;
            runMisses = 1;
            passedCursor = line;
        }
        return window;
    }

    /**
     * The next line the current walk has passed (from its first miss to {@link #NEAR} lines below its highest), each
     * once per walk, in ascending order; -1 when there is none (yet), or no walk. The caller skips those it cannot
     * take (not resident, pinned, in use): they are not given again.
     */
    long nextPassed() {
        return walking() && passedCursor < runHigh - NEAR ? passedCursor++ : -1;
    }

    /**
     * Whether {@code line} lies just ahead of the current walk: not passed, and at most a memory's worth of lines
     * above its highest miss. The walk is likely to reach it soon.
     */
    boolean isAhead(long line) {
        return walking() && line >= runHigh - NEAR && line <= runHigh + frames;
    }

    /** Eviction took {@code lines} lines: once more than a memory's worth went since the walk's last miss, it has ended. */
    void evicted(int lines) {
        evictedSinceMiss += lines;
    }

    /**
     * Whether the current run is a walk: {@link #PASSING_RUN} misses or more, the last one at most a memory's worth
     * of evictions ago. (Requiring it to span a quarter of the frames too, so that a small structure walked again and
     * again kept the plain eviction order, made binary-trees at a tenth read 12-15% more lines, the first misses of
     * each tree's check evicting the lines ahead of it.)
     */
    private boolean walking() {
        return runMisses >= PASSING_RUN && evictedSinceMiss <= frames;
    }
}
